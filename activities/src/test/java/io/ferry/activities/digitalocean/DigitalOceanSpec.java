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

  /** The end of {@code app_spec}'s properties, where the published schema lacks {@code envs}. */
  private static final String APP_SPEC_END =
      """
              vpc:
                $ref: '#/components/schemas/apps_vpc'
            required:
              - name
          apps_deployment_static_site:
      """;

  /**
   * The one gap Ferry fills: {@code app_spec} lists no app-level {@code envs}, yet the same
   * reference's example for {@code POST /v2/apps} sends them, DO's clients (godo's {@code
   * AppSpec.Envs}, Terraform's {@code spec.env}) have them, and App Platform takes them. Added as
   * the component-level {@code envs} are defined, so their items are still checked.
   */
  static String withAppLevelEnvs(String spec) {
    String anchor = APP_SPEC_END;
    if (!spec.contains(anchor)) {
      throw new IllegalStateException("app_spec changed in the DO reference; revisit this patch");
    }
    return spec.replace(
        anchor,
        """
                envs:
                  type: array
                  items:
                    $ref: '#/components/schemas/app_variable_definition'
        """
            + anchor);
  }

  private static OpenApiInteractionValidator load() {
    try (InputStream in =
        DigitalOceanSpec.class.getResourceAsStream("/specs/digitalocean-openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("specs/digitalocean-openapi.yaml is not on the classpath");
      }
      String spec = withAppLevelEnvs(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return OpenApiInteractionValidator.createForInlineApiSpecification(spec)
          .withResolveCombinators(true)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
