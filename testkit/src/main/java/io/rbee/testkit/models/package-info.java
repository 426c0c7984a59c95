/** Model files for tests: the demo model, tiny llama models, and broken files of each kind. */
package io.rbee.testkit.models;
