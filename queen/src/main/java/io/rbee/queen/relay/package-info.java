/** Following a job on another daemon and relaying its events into a job of this one. */
package io.rbee.queen.relay;
