/**
 * Files on the worker's own disk: app specs plans name ({@link
 * io.ferry.activities.files.LocalWorkerFiles}) and backups ({@link
 * io.ferry.activities.files.FileBackupStore}).
 */
package io.ferry.activities.files;
