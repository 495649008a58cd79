package io.ferry.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a plan from YAML text and checks it. Every problem is collected, with its field path: an
 * unknown or misspelt field, a value of the wrong type, a missing field, a value out of range.
 */
public final class PlanLoader {
  /** Plans are a page or two; anything this large is a mistake or an attack. */
  public static final int MAX_BYTES = 256 * 1024;

  private final ObjectMapper yaml;

  public PlanLoader() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(MAX_BYTES);
    options.setAllowDuplicateKeys(false);
    YAMLFactory factory = YAMLFactory.builder().loaderOptions(options).build();
    this.yaml =
        YAMLMapper.builder(factory)
            .addModule(
                new SimpleModule()
                    .addDeserializer(Duration.class, new HumanDurationDeserializer())
                    .setDeserializerModifier(new ScalarEnums()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
  }

  /** Reads only the {@code roadmap} field, to pick the plan type. */
  public String roadmapOf(String source, String text) {
    JsonNode tree = tree(source, text);
    JsonNode roadmap = tree.get("roadmap");
    if (roadmap == null || !roadmap.isTextual() || roadmap.asText().isBlank()) {
      throw new PlanInvalidException(
          source,
          List.of(new PlanProblem("roadmap", "is required: name the roadmap this plan is for")));
    }
    return roadmap.asText();
  }

  public <P extends Plan> P load(String source, String text, Class<P> type) {
    JsonNode tree = tree(source, text);
    List<PlanProblem> problems = new ArrayList<>();
    P plan;
    try {
      plan =
          yaml.readerFor(type)
              .withHandler(new CollectingHandler(problems))
              .readValue(yaml.treeAsTokens(tree));
    } catch (IOException e) {
      problems.add(
          new PlanProblem(
              pathOf(e),
              firstLine(
                  e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                      ? j.getOriginalMessage()
                      : e.getMessage())));
      throw new PlanInvalidException(source, problems);
    }
    if (plan == null) {
      throw new PlanInvalidException(source, List.of(new PlanProblem("", "the plan is empty")));
    }
    PlanChecks checks = new PlanChecks();
    plan.check(checks);
    problems.addAll(checks.problems());
    List<PlanProblem> reported = withoutEchoes(problems);
    if (!reported.isEmpty()) {
      throw new PlanInvalidException(source, reported);
    }
    return plan;
  }

  private JsonNode tree(String source, String text) {
    if (text == null || text.isBlank()) {
      throw new PlanInvalidException(source, List.of(new PlanProblem("", "the plan is empty")));
    }
    if (text.length() > MAX_BYTES) {
      throw new PlanInvalidException(
          source,
          List.of(
              new PlanProblem(
                  "",
                  "the plan is "
                      + text.length()
                      + " characters; at most "
                      + MAX_BYTES
                      + " are read")));
    }
    try {
      JsonNode tree = yaml.readTree(text);
      if (tree == null || !tree.isObject()) {
        throw new PlanInvalidException(
            source,
            List.of(new PlanProblem("", "the plan must be a YAML mapping of field: value")));
      }
      return tree;
    } catch (StreamReadException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new PlanInvalidException(
          source,
          List.of(
              new PlanProblem(
                  "", "is not valid YAML" + where + ": " + firstLine(e.getOriginalMessage()))));
    } catch (IOException e) {
      throw new PlanInvalidException(
          source, List.of(new PlanProblem("", "cannot be read: " + firstLine(e.getMessage()))));
    }
  }

  /** A field reported for a bad value need not be reported again as missing. */
  private static List<PlanProblem> withoutEchoes(List<PlanProblem> problems) {
    Set<String> typed =
        problems.stream()
            .filter(p -> !p.message().startsWith("is required"))
            .map(PlanProblem::field)
            .collect(Collectors.toSet());
    return problems.stream()
        .filter(p -> !(p.message().startsWith("is required") && typed.contains(p.field())))
        .distinct()
        .toList();
  }

  private static String pathOf(IOException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
      return m.getPath().stream()
          .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining())
          .replaceFirst("^\\.", "");
    }
    return "";
  }

  static String pathOf(JsonParser p) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    return String.join("", parts).replaceFirst("^\\.", "");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable value";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String describe(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw.isEnum()) {
      return "one of "
          + java.util.Arrays.stream(raw.getEnumConstants())
              .map(c -> c.toString().toLowerCase(Locale.ROOT).replace('_', '-'))
              .collect(Collectors.joining(", "));
    }
    if (Number.class.isAssignableFrom(raw) || (raw.isPrimitive() && raw != boolean.class)) {
      return "a number";
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return "true or false";
    }
    if (raw == Duration.class) {
      return "a duration such as 30s, 15m, 24h or 7d";
    }
    if (Collection.class.isAssignableFrom(raw)) {
      return "a list";
    }
    if (raw == String.class) {
      return "a text value";
    }
    return "a mapping of field: value";
  }

  /** Records each problem with its path and lets binding go on, so all are reported at once. */
  private static final class CollectingHandler extends DeserializationProblemHandler {
    private final List<PlanProblem> problems;

    CollectingHandler(List<PlanProblem> problems) {
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      Collection<Object> known = deserializer.getKnownPropertyNames();
      String hint =
          known == null || known.isEmpty()
              ? ""
              : "; known fields here: "
                  + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      problems.add(new PlanProblem(pathOf(p), "is not a known field" + hint));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt,
        Class<?> targetType,
        String valueToConvert,
        String failureMsg) {
      problems.add(
          new PlanProblem(
              pathOf(ctxt.getParser()),
              "'" + valueToConvert + "' is not " + describe(ctxt.constructType(targetType))));
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt,
        Class<?> targetType,
        Number valueToConvert,
        String failureMsg) {
      problems.add(
          new PlanProblem(
              pathOf(ctxt.getParser()),
              valueToConvert + " is not " + describe(ctxt.constructType(targetType))));
      return null;
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        JsonToken t,
        JsonParser p,
        String failureMsg)
        throws IOException {
      String found =
          switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_STRING -> "'" + p.getText() + "'";
            case VALUE_NULL -> "empty";
            default -> p.getText();
          };
      problems.add(
          new PlanProblem(pathOf(p), "is " + found + " but must be " + describe(targetType)));
      p.skipChildren();
      return null;
    }
  }

  /**
   * An enum given a mapping or a list goes to the problem handler once. Jackson's own enum reader
   * would ask the handler, then look up the null it answered and fail with a NullPointerException.
   */
  private static final class ScalarEnums extends BeanDeserializerModifier {
    @Override
    public JsonDeserializer<?> modifyEnumDeserializer(
        DeserializationConfig config,
        JavaType type,
        BeanDescription beanDesc,
        JsonDeserializer<?> deserializer) {
      return new ScalarEnum(deserializer);
    }
  }

  private static final class ScalarEnum extends DelegatingDeserializer {
    ScalarEnum(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new ScalarEnum(delegate);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.isExpectedStartArrayToken() || p.hasToken(JsonToken.START_OBJECT)) {
        return ctxt.handleUnexpectedToken(handledType(), p);
      }
      return super.deserialize(p, ctxt);
    }
  }

  /** Durations as people write them; anything else goes to the problem handler. */
  private static final class HumanDurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
      }
    }
  }
}
