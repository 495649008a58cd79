/**
 * Real adapters for files on the worker itself: {@link io.ferry.activities.files.FileBackupStore}.
 */
package io.ferry.activities.files;
