package io.ferry.activities.port;

/** A file a port call wrote, on the worker or on a host: where, how big, its sha256 (hex). */
public record WrittenFile(String path, long bytes, String sha256) {}
