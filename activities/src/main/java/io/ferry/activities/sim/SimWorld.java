package io.ferry.activities.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state every simulated adapter shares: the ledger, id counters, and the adapters themselves so
 * they can see each other (Weaviate is ready only once a compose project runs it on its host).
 * Adapters synchronise on the world, so each port call is atomic.
 */
final class SimWorld {

  final Ledger ledger = new Ledger();
  private final AtomicLong ids = new AtomicLong(1000);
  private final AtomicLong recordIds = new AtomicLong(5000);

  final SimCompute compute = new SimCompute(this);
  final SimDns dns = new SimDns(this);
  final SimHosts hosts = new SimHosts(this);
  final SimHostFiles hostFiles = new SimHostFiles(this);
  final SimServices services = new SimServices(this);
  final SimCompose compose = new SimCompose(this);
  final SimContainers containers = new SimContainers(this);
  final SimHostLogs hostLogs = new SimHostLogs(this);
  final SimPgDump pgDumps = new SimPgDump(this);
  final SimPostgres postgres = new SimPostgres(this);
  final SimWeaviate weaviate = new SimWeaviate(this);
  final SimMemoryStore memory = new SimMemoryStore(this);
  final SimEmbedder embedder = new SimEmbedder();
  final SimBackupStore backups = new SimBackupStore(this);
  final SimHttp http = new SimHttp();
  final SimApps apps = new SimApps(this);
  final SimRegistry registry = new SimRegistry(this);
  final SimManagedDatabases clusters = new SimManagedDatabases(this, java.time.Clock.systemUTC());
  final SimWorkerFiles workerFiles = new SimWorkerFiles(this);

  /** Droplet, volume and firewall ids: 1001, 1002, ... in creation order. */
  long nextId() {
    return ids.incrementAndGet();
  }

  long nextRecordId() {
    return recordIds.incrementAndGet();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
