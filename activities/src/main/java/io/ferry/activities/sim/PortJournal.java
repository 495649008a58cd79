package io.ferry.activities.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ferry.activities.ActivityStep;
import io.ferry.runbook.StepCall;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a simulated world alive across worker processes: every call to a port is appended to a file
 * (one JSON line, forced to disk) once it returns, and a new process replays the file against a
 * fresh world, which is deterministic, to arrive where the last one stopped. Any port is covered by
 * wrapping it; a call cut short by a kill never made it into the file, and its effect died with the
 * process, as if it never ran.
 *
 * <p>Several workers may share one journal (one world, several workers on a task queue): each call
 * takes an exclusive lock on the file, first replays what other processes appended since, then
 * appends its own, so every process sees the world as the journal's order made it.
 */
public final class PortJournal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PortJournal.class);

  private final Path file;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final Map<String, Object> ports = new LinkedHashMap<>();
  private FileOutputStream out;

  /** How far this process has read (or written) the file; past it are other processes' calls. */
  private long position;

  private PortJournal(Path file) {
    this.file = file;
  }

  /** A journal in {@code file}; entries an earlier process left there wait for {@link #replay}. */
  public static PortJournal at(Path file) {
    return new PortJournal(file);
  }

  /** The port, recording each call; register every port before {@link #replay}. */
  @SuppressWarnings("unchecked")
  public synchronized <T> T wrap(Class<T> port, T target) {
    ports.put(port.getName(), target);
    return (T)
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
              }
              return call(port, target, method, args);
            });
  }

  /**
   * Replays what earlier processes recorded, then appends from where they stopped. Returns the
   * number of calls replayed.
   */
  public synchronized int replay() {
    int replayed;
    try {
      out = new FileOutputStream(file.toFile(), true);
      try (FileLock lock = out.getChannel().lock()) {
        replayed = catchUp();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the simulated fleet's journal " + file, e);
    }
    log.info("replayed {} port calls from {}", replayed, file);
    return replayed;
  }

  /**
   * Replays the entries past {@link #position}, under the file's lock. A torn last entry (its
   * writer was killed mid-line) is cut off, so the next entry does not glue onto it.
   */
  private int catchUp() throws IOException {
    FileChannel channel = out.getChannel();
    long size = channel.size();
    if (size <= position) {
      return 0;
    }
    byte[] bytes = new byte[Math.toIntExact(size - position)];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(position);
      in.readFully(bytes);
    }
    int replayed = 0;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      if (line.isBlank()) {
        continue;
      }
      JsonNode entry;
      try {
        entry = json.readTree(line);
      } catch (IOException torn) {
        log.warn("ignoring a torn entry of {}", file);
        continue;
      }
      replay(entry);
      replayed++;
    }
    if (start < bytes.length) {
      log.warn("cutting off a torn last entry of {}", file);
      channel.truncate(position + start);
    }
    position += start;
    return replayed;
  }

  private Object call(Class<?> port, Object target, Method method, Object[] args) throws Throwable {
    synchronized (this) {
      // one call at a time, across processes too: the journal's order is the order the world saw
      if (out == null) {
        throw new IllegalStateException("replay the journal " + file + " before using the fleet");
      }
      try (FileLock lock = out.getChannel().lock()) {
        catchUp();
        try {
          Object result = method.invoke(target, args);
          append(port, method, args);
          return result;
        } catch (InvocationTargetException e) {
          append(port, method, args);
          throw e.getCause();
        }
      }
    }
  }

  private void append(Class<?> port, Method method, Object[] args) {
    if (out == null) {
      throw new IllegalStateException("replay the journal " + file + " before using the fleet");
    }
    ObjectNode entry = json.createObjectNode();
    entry.put("port", port.getName());
    entry.put("method", method.getName());
    ArrayNode params = entry.putArray("params");
    Arrays.stream(method.getParameterTypes()).forEach(t -> params.add(t.getName()));
    entry.set("args", json.valueToTree(args == null ? new Object[0] : args));
    StepCall step = ActivityStep.current();
    if (step != null) {
      entry.set("step", json.valueToTree(step));
    }
    try {
      byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(line);
      out.flush();
      out.getChannel().force(false);
      position = out.getChannel().size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the simulated fleet's journal " + file, e);
    }
  }

  private void replay(JsonNode entry) throws IOException {
    String portName = entry.get("port").asText();
    Object target = ports.get(portName);
    if (target == null) {
      throw new IllegalStateException("the journal names port " + portName + ", not wrapped");
    }
    Method method;
    try {
      method = method(Class.forName(portName, false, getClass().getClassLoader()), entry);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the journal names an unknown port " + portName, e);
    }
    Object[] args = new Object[method.getParameterCount()];
    for (int i = 0; i < args.length; i++) {
      args[i] =
          json.convertValue(
              entry.get("args").get(i),
              json.getTypeFactory().constructType(method.getGenericParameterTypes()[i]));
    }
    StepCall step = entry.has("step") ? json.treeToValue(entry.get("step"), StepCall.class) : null;
    ActivityStep.with(
        step,
        () -> {
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            return null; // it failed the first time too
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static Method method(Class<?> port, JsonNode entry) {
    String name = entry.get("method").asText();
    List<String> params = json(entry.get("params"));
    for (Method m : port.getMethods()) {
      if (m.getName().equals(name)
          && Arrays.stream(m.getParameterTypes()).map(Class::getName).toList().equals(params)) {
        return m;
      }
    }
    throw new IllegalStateException("port " + port.getName() + " has no method " + name + params);
  }

  private static List<String> json(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
