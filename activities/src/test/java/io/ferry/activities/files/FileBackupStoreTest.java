package io.ferry.activities.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.data.BackupLines;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackupStoreTest {

  @TempDir Path root;

  @Test
  void write_createsDirectoriesAndAnOwnerOnlyFile_thatReadsBackLineForLine() throws Exception {
    FileBackupStore store = new FileBackupStore(root);
    List<String> lines = List.of("{\"key\":\"memory:1\"}", "", "ünïcode 🚀");

    store.write("backups/run-1/memory.jsonl", lines);

    Path file = root.resolve("backups/run-1/memory.jsonl");
    assertThat(store.read("backups/run-1/memory.jsonl")).contains(lines);
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .isEqualTo("{\"key\":\"memory:1\"}\n\nünïcode 🚀\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    // the checksum the purge step checks is that of the file's bytes
    assertThat(BackupLines.sha256(lines))
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(file))));
  }

  @Test
  void write_again_replacesByRenameAndLeavesNoTemporaryFile() throws Exception {
    FileBackupStore store = new FileBackupStore(root);
    Path file = root.resolve("b.jsonl");
    store.write(file.toString(), List.of("old"));
    Object inode = Files.getAttribute(file, "unix:ino");

    store.write(file.toString(), List.of("new", "lines"));

    assertThat(store.read(file.toString())).contains(List.of("new", "lines"));
    assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inode);
    try (Stream<Path> files = Files.list(root)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void read_missingFile_isEmpty() {
    assertThat(new FileBackupStore(root).read("nothing/here.jsonl")).isEmpty();
  }

  @Test
  void lineWithABreak_isRefusedBeforeAnythingIsWritten() {
    FileBackupStore store = new FileBackupStore(root);

    assertThatThrownBy(() -> store.write("x.jsonl", List.of("ok", "two\nlines")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThat(root.resolve("x.jsonl")).doesNotExist();
  }
}
