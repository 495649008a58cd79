package io.ferry.activities.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.port.ObjectStorePort.Bucket;
import io.ferry.activities.port.ObjectStorePort.StoredObject;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** {@link S3ObjectStore} against a real S3 server (S3Proxy) in the test. */
class S3ObjectStoreTest {

  private static final long FIVE_MIB = 5L * 1024 * 1024;

  @TempDir Path dir;
  private S3Server server;
  private final S3ObjectStore store = new S3ObjectStore();

  @BeforeEach
  void start() throws Exception {
    server = new S3Server(Files.createDirectories(dir.resolve("s3")), "archives");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void largeFile_goesUpInParts_withItsSizeAndChecksumStored() throws Exception {
    byte[] content = new byte[(int) (2 * FIVE_MIB + 123_456)];
    new Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("archive.tar.gz"), content);
    String sha = sha256(content);

    StoredObject stored =
        store.upload(
            server.bucket("archives"), "dev/archive.tar.gz", file.toString(), sha, FIVE_MIB);

    assertThat(stored.parts()).isEqualTo(3);
    assertThat(stored.bytes()).isEqualTo(content.length);
    assertThat(stored.sha256()).isEqualTo(sha);
    assertThat(sha256(server.stored("archives", "dev/archive.tar.gz"))).isEqualTo(sha);
    StoredObject head = store.head(server.bucket("archives"), "dev/archive.tar.gz").orElseThrow();
    assertThat(head.bytes()).isEqualTo(content.length);
    assertThat(head.sha256()).isEqualTo(sha);
  }

  @Test
  void interruptedMultipartUpload_isContinued_withoutResendingStoredParts() throws Exception {
    byte[] content = new byte[(int) (3 * FIVE_MIB + 99)];
    new Random(11).nextBytes(content);
    Path file = Files.write(dir.resolve("archive.tar.gz"), content);
    String sha = sha256(content);
    PartRequests dropsThirdPart = new PartRequests(3);

    assertThatThrownBy(
            () ->
                new S3ObjectStore(List.of(dropsThirdPart))
                    .upload(server.bucket("archives"), "a.tar.gz", file.toString(), sha, FIVE_MIB))
        .hasMessageContaining("connection dropped");
    assertThat(dropsThirdPart.sent).containsExactly(1, 2, 3);
    assertThat(store.head(server.bucket("archives"), "a.tar.gz")).isEmpty();

    PartRequests counting = new PartRequests(0);
    StoredObject stored =
        new S3ObjectStore(List.of(counting))
            .upload(server.bucket("archives"), "a.tar.gz", file.toString(), sha, FIVE_MIB);

    assertThat(counting.sent).containsExactly(3, 4);
    assertThat(stored.parts()).isEqualTo(4);
    assertThat(stored.sha256()).isEqualTo(sha);
    assertThat(sha256(server.stored("archives", "a.tar.gz"))).isEqualTo(sha);
  }

  @Test
  void unfinishedUploadOfOtherContent_isAbortedAndTheFileSentWhole() throws Exception {
    byte[] first = new byte[(int) (2 * FIVE_MIB + 10)];
    new Random(1).nextBytes(first);
    Path file = Files.write(dir.resolve("archive.tar.gz"), first);
    assertThatThrownBy(
            () ->
                new S3ObjectStore(List.of(new PartRequests(2)))
                    .upload(
                        server.bucket("archives"),
                        "b.tar.gz",
                        file.toString(),
                        sha256(first),
                        FIVE_MIB))
        .hasMessageContaining("connection dropped");
    byte[] second = new byte[first.length];
    new Random(2).nextBytes(second);
    Files.write(file, second);

    PartRequests counting = new PartRequests(0);
    StoredObject stored =
        new S3ObjectStore(List.of(counting))
            .upload(
                server.bucket("archives"), "b.tar.gz", file.toString(), sha256(second), FIVE_MIB);

    assertThat(counting.sent).containsExactly(1, 2, 3);
    assertThat(stored.sha256()).isEqualTo(sha256(second));
    assertThat(sha256(server.stored("archives", "b.tar.gz"))).isEqualTo(sha256(second));
  }

  /** Records the part numbers sent; drops the connection at part {@code failAt} (0: never). */
  private static final class PartRequests implements ExecutionInterceptor {
    final List<Integer> sent = new CopyOnWriteArrayList<>();
    private final int failAt;

    PartRequests(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof UploadPartRequest part) {
        sent.add(part.partNumber());
        if (part.partNumber() == failAt) {
          throw new IllegalStateException("connection dropped");
        }
      }
    }
  }

  @Test
  void smallFile_goesUpInOnePut() throws Exception {
    Path file = Files.writeString(dir.resolve("small.tar.gz"), "small archive");

    StoredObject stored =
        store.upload(
            server.bucket("archives"),
            "small.tar.gz",
            file.toString(),
            sha256(Files.readAllBytes(file)),
            FIVE_MIB);

    assertThat(stored.parts()).isEqualTo(1);
    assertThat(stored.bytes()).isEqualTo(13);
  }

  @Test
  void fileThatChangedSinceItsChecksum_isNotUploaded() throws Exception {
    Path file = Files.writeString(dir.resolve("dump"), "changed");

    assertThatThrownBy(
            () ->
                store.upload(
                    server.bucket("archives"),
                    "dump",
                    file.toString(),
                    sha256("original".getBytes()),
                    FIVE_MIB))
        .hasMessageContaining("changed since");
    assertThat(store.head(server.bucket("archives"), "dump")).isEmpty();
  }

  @Test
  void missingObject_isEmpty_andWrongKeysAreAnAuthenticationFailure() throws Exception {
    assertThat(store.head(server.bucket("archives"), "nothing-here")).isEmpty();

    Bucket wrong = new Bucket(server.endpoint(), "us-east-1", "archives", "nobody", "wrong");
    assertThatThrownBy(() -> store.head(wrong, "nothing-here"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(f.getOriginalMessage()).doesNotContain("wrong");
            });
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
