/** A hive's models: references users give, the persistent catalog, downloads and the Model* operations. */
package io.rbee.hive.models;
