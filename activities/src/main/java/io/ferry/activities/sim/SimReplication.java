package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ReplicationPort;
import io.ferry.plan.PostgresTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Streaming replication in the simulated world: each primary's settings, its slots (in the ledger,
 * so a slot left behind by an undo shows as a difference) and the standbys streaming from it, whose
 * replay lag a knob sets. A primary first touched without a seed has replication-ready settings.
 */
final class SimReplication implements ReplicationPort {

  private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
  private final SimWorld world;
  private final Map<String, Primary> primaries = new TreeMap<>();
  private Duration lag = Duration.ofMillis(40);

  static final class Primary {
    String walLevel = "replica";
    int maxWalSenders = 10;
    int maxSlots = 10;
    boolean replicationRole = true;
    final Map<String, String> slots = new TreeMap<>();

    /** application_name to {address, slot}. */
    final Map<String, String[]> standbys = new TreeMap<>();
  }

  SimReplication(SimWorld world) {
    this.world = world;
  }

  private static String id(PostgresTarget t) {
    return Failures.require("host", t.host()) + ":" + t.port();
  }

  Primary primary(PostgresTarget target) {
    return primaries.computeIfAbsent(id(target), k -> new Primary());
  }

  @Override
  public PrimarySettings primarySettings(PostgresTarget target) {
    synchronized (world) {
      Primary p = primary(target);
      return new PrimarySettings(
          "15.8",
          false,
          p.walLevel,
          p.maxWalSenders,
          p.maxSlots,
          p.standbys.size(),
          p.slots.size(),
          p.replicationRole,
          p.replicationRole);
    }
  }

  @Override
  public Optional<Slot> slot(PostgresTarget target, String slot) {
    synchronized (world) {
      Primary p = primary(target);
      if (!p.slots.containsKey(slot)) {
        return Optional.empty();
      }
      boolean active = p.standbys.values().stream().anyMatch(s -> slot.equals(s[1]));
      return Optional.of(new Slot(slot, "physical", active, p.slots.get(slot)));
    }
  }

  @Override
  public void createSlot(PostgresTarget target, String slot) {
    synchronized (world) {
      if (!SLOT.matcher(Failures.require("slot", slot)).matches()) {
        throw Failures.invalidInput(
            "replication slot name \"" + slot + "\" contains invalid characters");
      }
      Primary p = primary(target);
      if (p.slots.containsKey(slot)) {
        return;
      }
      if (p.slots.size() >= p.maxSlots) {
        throw Failures.precondition(
            "all replication slots are in use on "
                + id(target)
                + ": increase max_replication_slots");
      }
      p.slots.put(slot, "0/3000060");
      world.ledger.put(
          new Resource("replication-slot", id(target) + "/" + slot, Map.of("type", "physical")));
    }
  }

  @Override
  public boolean dropSlot(PostgresTarget target, String slot) {
    synchronized (world) {
      Primary p = primary(target);
      p.standbys.values().removeIf(s -> slot.equals(s[1]));
      if (p.slots.remove(slot) == null) {
        return false;
      }
      world.ledger.remove("replication-slot", id(target) + "/" + slot);
      return true;
    }
  }

  @Override
  public List<Standby> standbys(PostgresTarget target) {
    synchronized (world) {
      List<Standby> out = new ArrayList<>();
      primary(target)
          .standbys
          .forEach(
              (name, s) ->
                  out.add(new Standby(name, s[0], "streaming", s[1], lag, lag.toMillis() * 16)));
      return out;
    }
  }

  @Override
  public Optional<WalReceiver> walReceiver(PostgresTarget standby) {
    synchronized (world) {
      for (Map.Entry<String, Primary> e : primaries.entrySet()) {
        for (String[] s : e.getValue().standbys.values()) {
          if (s[0].equals(standby.host())
              && s.length > 2
              && s[2].equals(String.valueOf(standby.port()))) {
            String[] primary = e.getKey().split(":");
            return Optional.of(
                new WalReceiver("streaming", primary[0], Integer.parseInt(primary[1]), s[1]));
          }
        }
      }
      return Optional.empty();
    }
  }

  /** A standby at {@code address:port} streams from the primary through {@code slot}. */
  void attach(PostgresTarget primary, String name, String address, int port, String slot) {
    synchronized (world) {
      primary(primary).standbys.put(name, new String[] {address, slot, String.valueOf(port)});
    }
  }

  void detach(PostgresTarget primary, String name) {
    synchronized (world) {
      primary(primary).standbys.remove(name);
    }
  }

  void setLag(Duration newLag) {
    synchronized (world) {
      lag = newLag;
    }
  }

  void seedPrimary(PostgresTarget target, String walLevel, int maxWalSenders, int maxSlots) {
    synchronized (world) {
      Primary p = primary(target);
      p.walLevel = walLevel;
      p.maxWalSenders = maxWalSenders;
      p.maxSlots = maxSlots;
    }
  }
}
