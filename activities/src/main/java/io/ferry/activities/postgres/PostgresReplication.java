package io.ferry.activities.postgres;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ReplicationPort;
import io.ferry.plan.PostgresTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link ReplicationPort} over JDBC: one short connection per call (these calls are rare), every
 * value a bound parameter.
 */
public final class PostgresReplication implements ReplicationPort {

  /** What PostgreSQL accepts as a slot name. */
  public static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");

  private final SecretResolver secrets;

  public PostgresReplication(SecretResolver secrets) {
    this.secrets = secrets;
  }

  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  @Override
  public PrimarySettings primarySettings(PostgresTarget primary) {
    return run(
        primary,
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "select current_setting('server_version'), pg_is_in_recovery(),"
                          + " current_setting('wal_level'),"
                          + " current_setting('max_wal_senders')::int,"
                          + " current_setting('max_replication_slots')::int,"
                          + " (select count(*) from pg_stat_replication)::int,"
                          + " (select count(*) from pg_replication_slots)::int,"
                          + " (select rolreplication or rolsuper from pg_roles"
                          + "  where rolname = current_user),"
                          // without it pg_stat_replication hides each standby's state and lag
                          + " pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')");
              ResultSet r = s.executeQuery()) {
            r.next();
            return new PrimarySettings(
                r.getString(1),
                r.getBoolean(2),
                r.getString(3),
                r.getInt(4),
                r.getInt(5),
                r.getInt(6),
                r.getInt(7),
                r.getBoolean(8),
                r.getBoolean(9));
          }
        });
  }

  @Override
  public Optional<Slot> slot(PostgresTarget primary, String slot) {
    checkSlot(slot);
    return run(
        primary,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select slot_name, slot_type, active, restart_lsn::text"
                      + " from pg_replication_slots where slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(
                      new Slot(r.getString(1), r.getString(2), r.getBoolean(3), r.getString(4)))
                  : Optional.<Slot>empty();
            }
          }
        });
  }

  @Override
  public void createSlot(PostgresTarget primary, String slot) {
    checkSlot(slot);
    run(
        primary,
        c -> {
          // the existence check and the create in one statement: a retry finds the first's slot
          try (PreparedStatement s =
              c.prepareStatement(
                  "select pg_create_physical_replication_slot(?, true)"
                      + " where not exists (select 1 from pg_replication_slots"
                      + " where slot_name = ?)")) {
            s.setString(1, slot);
            s.setString(2, slot);
            s.execute();
          }
          return null;
        });
  }

  @Override
  public boolean dropSlot(PostgresTarget primary, String slot) {
    checkSlot(slot);
    return run(
        primary,
        c -> {
          // an active slot cannot be dropped: end the walsender holding it first
          try (PreparedStatement s =
              c.prepareStatement(
                  "select pg_terminate_backend(active_pid) from pg_replication_slots"
                      + " where slot_name = ? and active_pid is not null")) {
            s.setString(1, slot);
            s.execute();
          }
          for (int attempt = 0; ; attempt++) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "select pg_drop_replication_slot(slot_name) from pg_replication_slots"
                        + " where slot_name = ? and not active")) {
              s.setString(1, slot);
              try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                  return true;
                }
              }
            }
            if (slot(primary, slot).isEmpty()) {
              return false;
            }
            if (attempt >= 50) {
              throw new IllegalStateException(
                  "slot " + slot + " on " + primary.host() + " is still held by a walsender");
            }
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted dropping slot " + slot, e);
            }
          }
        });
  }

  @Override
  public List<Standby> standbys(PostgresTarget primary) {
    return run(
        primary,
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "select r.application_name, host(r.client_addr), r.state,"
                          + " (select slot_name from pg_replication_slots"
                          + "  where active_pid = r.pid),"
                          + " extract(epoch from r.replay_lag) * 1000,"
                          + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn), 0)"
                          + " from pg_stat_replication r order by r.application_name");
              ResultSet r = s.executeQuery()) {
            List<Standby> standbys = new ArrayList<>();
            while (r.next()) {
              double lagMillis = r.getDouble(5);
              Duration lag = r.wasNull() ? null : Duration.ofMillis(Math.round(lagMillis));
              standbys.add(
                  new Standby(
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      r.getString(4),
                      lag,
                      r.getLong(6)));
            }
            return standbys;
          }
        });
  }

  @Override
  public Optional<WalReceiver> walReceiver(PostgresTarget standby) {
    return run(
        standby,
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "select status, sender_host, sender_port, slot_name from pg_stat_wal_receiver");
              ResultSet r = s.executeQuery()) {
            return r.next()
                ? Optional.of(
                    new WalReceiver(r.getString(1), r.getString(2), r.getInt(3), r.getString(4)))
                : Optional.<WalReceiver>empty();
          }
        });
  }

  static void checkSlot(String slot) {
    Failures.require("slot", slot);
    if (!SLOT.matcher(slot).matches()) {
      throw Failures.invalidInput(
          "slot must be 1 to 63 lowercase letters, digits or underscores (PostgreSQL refuses"
              + " others), was "
              + slot);
    }
  }

  private <T> T run(PostgresTarget target, Work<T> work) {
    Failures.require("host", target.host());
    try (Connection c =
        PostgresConnections.open(
            secrets, target, Failures.require("database", target.database()))) {
      return work.apply(c);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String where = "PostgreSQL at " + target.host() + ":" + target.port();
      if (state.startsWith("28")) {
        throw Failures.precondition(where + " refused " + target.user() + ": " + e.getMessage());
      }
      if (state.equals("42501")) {
        throw Failures.precondition(
            where + ": " + target.user() + " lacks a privilege: " + e.getMessage());
      }
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
  }
}
