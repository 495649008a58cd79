package io.ferry.plan;

/** A Weaviate endpoint; known once the vector node exists. The API key is a reference. */
public record WeaviateTarget(String url, SecretRef apiKey) {}
