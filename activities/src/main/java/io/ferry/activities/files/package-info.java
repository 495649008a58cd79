/** Files on the worker's own disk that plans name (app specs): the real {@code WorkerFilesPort}. */
package io.ferry.activities.files;
