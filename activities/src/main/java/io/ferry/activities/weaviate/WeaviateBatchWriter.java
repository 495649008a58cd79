package io.ferry.activities.weaviate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.activities.port.WeaviatePort.VectorObject;
import io.ferry.plan.WeaviateTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/batch/objects} for one Weaviate, without the Weaviate client. The client boxes
 * each vector into {@code Float[]}, prints every component with {@code Float.toString} and parses
 * the echoed vectors back: at 384 floats an object, that cost more CPU than anything but the
 * embedder. Here each float is written straight into the body's bytes ({@link FloatDecimals}: the
 * same float32 reaches Weaviate), and the answer is streamed with only ids and results read.
 */
final class WeaviateBatchWriter {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private final WeaviateTarget target;
  private final URI endpoint;
  private final String bearer;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param apiKey the resolved key, or null for none
   */
  WeaviateBatchWriter(WeaviateTarget target, URI base, String apiKey, Duration timeout) {
    this.target = target;
    this.endpoint = base.resolve("/v1/batch/objects");
    this.bearer = apiKey == null ? null : "Bearer " + apiKey;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What Weaviate said of a batch: how many objects it answered for, and those not stored. */
  record Answer(int answered, List<String> failures) {}

  /**
   * Upserts the objects (same id: replaced) and returns the per-object failures Weaviate reported,
   * each as "id: message".
   */
  Answer upsert(String collection, String tenant, Collection<VectorObject> objects) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(body(collection, tenant, objects).publisher());
    if (bearer != null) {
      request.header("Authorization", bearer);
    }
    String what = "upsert " + objects.size() + " objects into " + collection;
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(what + " at " + target.url() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw failed(what, response.statusCode(), in.readAllBytes());
      }
      return answer(in);
    } catch (IOException e) {
      throw new IllegalStateException(what + ": reading the answer failed: " + e, e);
    }
  }

  static Bytes body(String collection, String tenant, Collection<VectorObject> objects) {
    try {
      byte[] prefix =
          ("{\"class\":" + MAPPER.writeValueAsString(collection) + ",\"id\":\"")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tenantField =
          tenant == null
              ? new byte[0]
              : (",\"tenant\":" + MAPPER.writeValueAsString(tenant))
                  .getBytes(StandardCharsets.UTF_8);
      int dimensions = objects.isEmpty() ? 0 : objects.iterator().next().vector().length;
      // each float at most MAX_LENGTH and a comma, and room for the rest of the object
      Bytes out = new Bytes(objects.size() * (dimensions * (FloatDecimals.MAX_LENGTH + 1) + 512));
      out.ascii("{\"fields\":[\"ALL\"],\"objects\":[");
      boolean first = true;
      for (VectorObject o : objects) {
        if (!first) {
          out.ascii(",");
        }
        first = false;
        out.bytes(prefix);
        out.ascii(o.id().toString());
        out.ascii("\"");
        out.bytes(tenantField);
        out.ascii(",\"properties\":");
        out.bytes(MAPPER.writeValueAsBytes(o.properties() == null ? Map.of() : o.properties()));
        out.ascii(",\"vector\":[");
        float[] vector = o.vector();
        try {
          for (int d = 0; d < vector.length; d++) {
            out.number(vector[d], d > 0);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("object " + o.id() + ": " + e.getMessage(), e);
        }
        out.ascii("]}");
      }
      out.ascii("]}");
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("properties cannot be written as JSON: " + e, e);
    }
  }

  /** A growing byte array: the request body, written without a String per number. */
  static final class Bytes {
    private byte[] bytes;
    private int size;

    Bytes(int capacity) {
      bytes = new byte[Math.max(64, capacity)];
    }

    void ascii(String text) {
      bytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    void bytes(byte[] more) {
      room(more.length);
      System.arraycopy(more, 0, bytes, size, more.length);
      size += more.length;
    }

    void number(float value, boolean comma) {
      room(FloatDecimals.MAX_LENGTH + 1);
      if (comma) {
        bytes[size++] = ',';
      }
      size = FloatDecimals.write(value, bytes, size);
    }

    private void room(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    HttpRequest.BodyPublisher publisher() {
      return HttpRequest.BodyPublishers.ofByteArray(bytes, 0, size);
    }
  }

  /** Reads only each object's id and result; its echoed vector and properties are skipped. */
  static Answer answer(InputStream answer) throws IOException {
    int answered = 0;
    List<String> failures = new ArrayList<>();
    try (JsonParser json = JSON.createParser(answer)) {
      if (json.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("expected a JSON array of per-object results");
      }
      while (json.nextToken() == JsonToken.START_OBJECT) {
        String id = null;
        List<String> errors = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if ("id".equals(field) && value == JsonToken.VALUE_STRING) {
            id = json.getText();
          } else if ("result".equals(field) && value == JsonToken.START_OBJECT) {
            JsonNode result = MAPPER.readTree(json);
            errors.addAll(errorMessages(result.path("errors")));
          } else {
            json.skipChildren();
          }
        }
        answered++;
        if (!errors.isEmpty()) {
          failures.add(id + ": " + String.join("; ", errors));
        }
      }
    }
    return new Answer(answered, failures);
  }

  private static List<String> errorMessages(JsonNode errors) {
    List<String> messages = new ArrayList<>();
    for (var e : errors.path("error")) {
      messages.add(e.path("message").asText("(no message)"));
    }
    return messages;
  }

  /** The same failure as the client-based calls give for the status, with Weaviate's messages. */
  private RuntimeException failed(String what, int status, byte[] body) {
    String messages;
    try {
      messages = String.join("; ", errorMessages(MAPPER.readTree(body).path("error")));
    } catch (IOException e) {
      messages = "";
    }
    if (messages.isEmpty()) {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      messages = text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
    return WeaviateRest.failure(target, what, status, messages);
  }
}
