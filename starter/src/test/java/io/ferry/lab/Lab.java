package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lab's network and processes: hosts as network namespaces on a bridge that lives in its own
 * namespace, 10.87.14.0/24, an address range that exists only inside this lab's namespaces (the
 * machine's own namespace has no interface on it, so parallel labs never meet). The test JVM runs
 * on the control host, whose namespace {@code control-host/bin/java} made and deletes.
 *
 * <p>Every name starts with {@code ferrylab-<run>-}, the run being the PID of that wrapper, so a
 * lab left by a killed run is found and removed by the next ({@link #sweep}). Everything started is
 * stopped by its PID on {@link #close}, which a shutdown hook also calls.
 */
final class Lab implements AutoCloseable {

  static final String PREFIX = "ferrylab-";
  static final String SUBNET = "10.87.14.";
  static final String CONTROL_ADDRESS = SUBNET + "10";

  private record Started(String what, Process process) {}

  final String run;
  final String control;
  final Path dir;
  private final String bridge;
  private final Map<String, LabHost> hosts = new LinkedHashMap<>();
  private final Deque<Started> started = new ArrayDeque<>();
  private final Thread hook = new Thread(this::close, "ferry-lab-teardown");
  private boolean closed;

  private Lab(String run, String control) {
    this.run = run;
    this.control = control;
    this.dir = Path.of("/tmp", PREFIX + run);
    this.bridge = PREFIX + run + "-sw";
  }

  /** Why the lab cannot run here, or null when it can. */
  static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the lab needs root (network namespaces, sshd, services run as postgres); run"
          + " ./mvnw verify -Plab as root";
    }
    if (System.getenv("FERRY_LAB_CONTROL") == null) {
      return "the test JVM is not on a lab control host: run the lab through -Plab, whose"
          + " control-host/bin/java starts it in one";
    }
    for (String program :
        List.of(
            "/usr/sbin/ip",
            "/usr/bin/unshare",
            "/usr/bin/setpriv",
            "/usr/sbin/sshd",
            "/usr/bin/ssh-keygen",
            Services.PG_BIN + "/postgres",
            Services.PG_BIN + "/psql",
            "/usr/bin/redis-server",
            "/usr/sbin/nginx")) {
      if (!Files.isExecutable(Path.of(program))) {
        return program
            + " is missing (Debian: apt-get install iproute2 openssh-server postgresql-15"
            + " redis-server nginx-light)";
      }
    }
    return null;
  }

  /** Removes leftovers of dead runs, then builds the bridge and puts the control host on it. */
  static Lab open() {
    String run = System.getenv("FERRY_LAB_RUN");
    Lab lab = new Lab(run, System.getenv("FERRY_LAB_CONTROL"));
    sweep(run);
    Runtime.getRuntime().addShutdownHook(lab.hook);
    try {
      Files.createDirectories(lab.dir);
      Cmd.ok("chmod", "755", lab.dir.toString());
      Cmd.ok("ip", "netns", "add", lab.bridge);
      Cmd.okIn(lab.bridge, "ip", "link", "set", "lo", "up");
      Cmd.okIn(lab.bridge, "ip", "link", "add", "br0", "type", "bridge");
      Cmd.okIn(lab.bridge, "ip", "link", "set", "br0", "up");
      // this JVM is in the control namespace: its end of the cable is made here
      Cmd.ok("ip", "link", "set", "lo", "up");
      Cmd.ok(
          "ip",
          "link",
          "add",
          "ctl-eth0",
          "type",
          "veth",
          "peer",
          "name",
          "ctl",
          "netns",
          lab.bridge);
      Cmd.okIn(lab.bridge, "ip", "link", "set", "ctl", "master", "br0", "up");
      Cmd.ok("ip", "addr", "add", CONTROL_ADDRESS + "/24", "dev", "ctl-eth0");
      Cmd.ok("ip", "link", "set", "ctl-eth0", "up");
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** A new host on the bridge at {@code SUBNET + octet}. */
  LabHost host(String name, int octet) {
    String ns = PREFIX + run + "-" + name;
    String address = SUBNET + octet;
    LabHost host = new LabHost(name, ns, address, dir.resolve(name));
    hosts.put(name, host);
    Cmd.ok("ip", "netns", "add", ns);
    Cmd.okIn(ns, "ip", "link", "set", "lo", "up");
    Cmd.ok(
        "ip",
        "link",
        "add",
        name + "-eth0",
        "netns",
        ns,
        "type",
        "veth",
        "peer",
        "name",
        name,
        "netns",
        bridge);
    Cmd.okIn(bridge, "ip", "link", "set", name, "master", "br0", "up");
    Cmd.okIn(ns, "ip", "addr", "add", address + "/24", "dev", name + "-eth0");
    Cmd.okIn(ns, "ip", "link", "set", name + "-eth0", "up");
    try {
      Files.createDirectories(host.opt());
      Files.createDirectories(host.bin());
      Files.createDirectories(host.toolLog().getParent());
      Cmd.ok("chmod", "-R", "755", host.dir().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return host;
  }

  List<LabHost> hosts() {
    return List.copyOf(hosts.values());
  }

  LabHost host(String name) {
    return hosts.get(name);
  }

  /** Starts a process the lab stops by its PID; its output goes to {@code log}. */
  Process start(String what, List<String> command, Path log) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      synchronized (started) {
        started.push(new Started(what, p));
      }
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + what + ": " + e.getMessage(), e);
    }
  }

  /** Stops one process the lab started (SIGTERM, then SIGKILL after 10 s). */
  static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every process by its PID, kills what is left in the namespaces, deletes them all. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<Started> toStop;
    synchronized (started) {
      toStop = new ArrayList<>(started);
      started.clear();
    }
    for (Started s : toStop) { // newest first: services before the hosts they serve
      stop(s.process());
    }
    for (LabHost h : hosts.values()) {
      killIn(h.namespace());
      Cmd.run(List.of("ip", "netns", "del", h.namespace()));
    }
    Cmd.run(List.of("ip", "netns", "del", bridge));
    deleteTree(dir);
    deleteTree(Path.of("/etc/netns", control));
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // called by the hook itself
    }
  }

  /**
   * What this run left behind: namespaces with its prefix (besides the control host's, which the
   * wrapper deletes when this JVM exits), processes in them, files. Empty after {@link #close}.
   */
  List<String> leftovers() {
    List<String> left = new ArrayList<>();
    for (String ns : namespaces()) {
      if (ns.startsWith(PREFIX + run + "-") && !ns.equals(control)) {
        left.add("namespace " + ns);
      }
    }
    String pids = Cmd.run(List.of("ip", "netns", "pids", control)).output().strip();
    for (String pid : pids.split("\\s+")) {
      if (!pid.isEmpty() && Long.parseLong(pid) != ProcessHandle.current().pid()) {
        ProcessHandle.of(Long.parseLong(pid))
            .filter(h -> !isAncestorOrSelf(h))
            .ifPresent(h -> left.add("process " + pid + " " + h.info().commandLine().orElse("")));
      }
    }
    if (Files.exists(dir)) {
      left.add("directory " + dir);
    }
    if (Files.exists(Path.of("/etc/netns", control))) {
      left.add("directory /etc/netns/" + control);
    }
    return left;
  }

  private static boolean isAncestorOrSelf(ProcessHandle h) {
    for (ProcessHandle p = ProcessHandle.current(); p != null; p = p.parent().orElse(null)) {
      if (p.pid() == h.pid()) {
        return true;
      }
    }
    return false;
  }

  /** Namespaces, labs of runs whose wrapper is no longer alive included, with their dirs. */
  static void sweep(String currentRun) {
    for (String ns : namespaces()) {
      if (!ns.startsWith(PREFIX)) {
        continue;
      }
      String run = ns.substring(PREFIX.length()).split("-", 2)[0];
      if (run.equals(currentRun) || alive(run)) {
        continue;
      }
      System.out.println("lab: removing a dead run's leftover namespace " + ns);
      killIn(ns);
      Cmd.run(List.of("ip", "netns", "del", ns));
      deleteTree(Path.of("/tmp", PREFIX + run));
      deleteTree(Path.of("/etc/netns", ns));
    }
  }

  private static boolean alive(String run) {
    try {
      return ProcessHandle.of(Long.parseLong(run)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static List<String> namespaces() {
    return Cmd.run(List.of("ip", "netns", "list"))
        .output()
        .lines()
        .map(l -> l.split("\\s+")[0])
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Kills, by PID, whatever still runs in a namespace (an SSH session's children, say). */
  private static void killIn(String ns) {
    for (int round = 0; round < 2; round++) {
      String pids = Cmd.run(List.of("ip", "netns", "pids", ns)).output().strip();
      if (pids.isEmpty()) {
        return;
      }
      boolean gently = round == 0;
      for (String pid : pids.split("\\s+")) {
        ProcessHandle.of(Long.parseLong(pid))
            .ifPresent(
                h -> {
                  if (gently) {
                    h.destroy();
                  } else {
                    h.destroyForcibly();
                  }
                });
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
