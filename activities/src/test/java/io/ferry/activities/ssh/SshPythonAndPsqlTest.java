package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshPythonEnvs} and {@link SshPsql} against the in-process SSH server: a fake {@code
 * python3} makes a venv whose fake pip checks its arguments and answers as pip does; a fake {@code
 * psql} answers only the plan's role with the arguments {@code psql -l} needs.
 */
class SshPythonAndPsqlTest {

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private Path log;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir.resolve("server"));
    ssh = new SshSessions(server.secrets());
    log = dir.resolve("calls.log");
    String q = Shell.quote(log.toString());
    // pip as python3 -m venv installs it: refuses anything but the flags Ferry passes
    String pip =
        "#!/bin/sh\n"
            + "printf 'pip|%s' \"$*\" >> "
            + q
            + "; echo >> "
            + q
            + "\n"
            + "case \"$1\" in\n"
            + "  install)\n"
            + "    [ \"$2\" = --disable-pip-version-check ] && [ \"$3\" = --no-input ]"
            + " && [ \"$4\" = -r ] || { echo 'bad pip arguments' >&2; exit 2; }\n"
            + "    if grep -q '==99' \"$5\"; then\n"
            + "      echo 'Collecting fastapi==0.110.0'\n"
            + "      echo 'ERROR: Could not find a version that satisfies the requirement"
            + " torch==99.0 (from versions: 2.2.0, 2.2.1)' >&2\n"
            + "      echo 'ERROR: No matching distribution found for torch==99.0' >&2\n"
            + "      exit 1\n"
            + "    fi\n"
            + "    echo 'Successfully installed fastapi-0.110.0 uvicorn-0.29.0'; exit 0 ;;\n"
            + "  list) [ \"$2\" = --format=freeze ] || exit 2; printf 'fastapi==0.110.0\\n"
            + "uvicorn==0.29.0\\npip==24.0\\n'; exit 0 ;;\n"
            + "esac\nexit 2\n";
    server.fakeCommand(
        "python3",
        "printf 'python3|%s' \"$*\" >> "
            + q
            + "; echo >> "
            + q
            + "\n"
            + "[ \"$1\" = -m ] && [ \"$2\" = venv ] && [ \"$3\" = -- ] || exit 2\n"
            + "mkdir -p \"$4/bin\" && printf '#!/bin/sh\\n' > \"$4/bin/python\""
            + " && chmod +x \"$4/bin/python\"\n"
            + "cat > \"$4/bin/pip\" <<'PIP'\n"
            + pip
            + "PIP\n"
            + "chmod +x \"$4/bin/pip\"\n");
    server.fakeCommand(
        "psql",
        "printf 'psql|%s' \"$*\" >> "
            + q
            + "; echo >> "
            + q
            + "\n"
            + "[ \"$1\" = -U ] && [ \"$3\" = -d ] && [ \"$4\" = postgres ] && [ \"$5\" = -lqtA ]"
            + " || { echo 'psql: bad arguments' >&2; exit 2; }\n"
            + "if [ \"$2\" != cherry ]; then\n"
            + "  echo \"psql: error: connection to server on socket"
            + " \\\"/var/run/postgresql/.s.PGSQL.5432\\\" failed: FATAL:  role \\\"$2\\\" does not"
            + " exist\" >&2; exit 2\n"
            + "fi\n"
            + "echo 'cherry_ai|cherry|UTF8|libc|C.UTF-8|C.UTF-8|||'\n"
            + "echo 'postgres|postgres|UTF8|libc|C.UTF-8|C.UTF-8|||'\n"
            + "echo 'template0|postgres|UTF8|libc|C.UTF-8|C.UTF-8|||=c/postgres'\n"
            + "echo 'postgres=CTc/postgres'\n");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void venvIsMadeOnce_andRequirementsInstalled_countingThePackages() throws Exception {
    SshPythonEnvs python = new SshPythonEnvs(ssh);
    String venv = dir.resolve("opt/cherry-ai/venv").toString();
    Path requirements = Files.writeString(dir.resolve("requirements.txt"), "fastapi==0.110.0\n");

    assertThat(python.venvExists(server.target(), venv)).isFalse();
    python.createVenv(server.target(), venv);
    assertThat(python.venvExists(server.target(), venv)).isTrue();
    int packages = python.installRequirements(server.target(), venv, requirements.toString());

    assertThat(packages).isEqualTo(3);
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "python3|-m venv -- " + venv,
            "pip|install --disable-pip-version-check --no-input -r " + requirements,
            "pip|list --format=freeze --disable-pip-version-check");
  }

  @Test
  void failedInstall_namesTheRequirementPipCouldNotSatisfy() throws Exception {
    SshPythonEnvs python = new SshPythonEnvs(ssh);
    String venv = dir.resolve("opt/cherry-ai/venv").toString();
    Path requirements =
        Files.writeString(dir.resolve("requirements.txt"), "fastapi==0.110.0\ntorch==99.0\n");
    python.createVenv(server.target(), venv);

    assertThatThrownBy(
            () -> python.installRequirements(server.target(), venv, requirements.toString()))
        .hasMessageContaining("pip install -r " + requirements)
        .hasMessageContaining("No matching distribution found for torch==99.0")
        .hasMessageNotContaining("Collecting");
  }

  @Test
  void databasesAreListedAsThePlansRole_andAnUnknownRoleIsNamed() throws Exception {
    SshPsql psql = new SshPsql(ssh);

    assertThat(psql.listDatabases(server.target(), "cherry"))
        .containsExactly("cherry_ai", "postgres", "template0");
    assertThatThrownBy(() -> psql.listDatabases(server.target(), "nobody"))
        .hasMessageContaining("psql -l as nobody")
        .hasMessageContaining("role \"nobody\" does not exist");
    assertThat(Files.readAllLines(log))
        .containsExactly("psql|-U cherry -d postgres -lqtA", "psql|-U nobody -d postgres -lqtA");
  }

  @Test
  void hostileRoleAndVenvPaths_neverReachTheShellUnquoted() throws Exception {
    Path marker = dir.resolve("pwned");
    String hostile = "x'; touch " + marker + "; '";

    assertThatThrownBy(() -> new SshPsql(ssh).listDatabases(server.target(), hostile))
        .hasMessageContaining("psql -l");
    new SshPythonEnvs(ssh).createVenv(server.target(), dir.resolve(hostile).toString());

    assertThat(marker).doesNotExist();
  }
}
