/** Network faults for tests: a TCP proxy that cuts, throttles and pauses connections. */
package io.rbee.testkit.net;
