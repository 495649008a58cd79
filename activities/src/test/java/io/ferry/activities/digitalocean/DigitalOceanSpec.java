package io.ferry.activities.digitalocean;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * DigitalOcean's published OpenAPI description (a copy in {@code src/test/resources/specs}), parsed
 * once per JVM: building the validator over the 3 MB file takes seconds.
 */
final class DigitalOceanSpec {

  private DigitalOceanSpec() {}

  private static final class Holder {
    static final OpenApiInteractionValidator VALIDATOR = load();
  }

  static OpenApiInteractionValidator validator() {
    return Holder.VALIDATOR;
  }

  private static OpenApiInteractionValidator load() {
    try (InputStream in =
        DigitalOceanSpec.class.getResourceAsStream("/specs/digitalocean-openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("specs/digitalocean-openapi.yaml is not on the classpath");
      }
      String spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return OpenApiInteractionValidator.createForInlineApiSpecification(spec)
          .withResolveCombinators(true)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
