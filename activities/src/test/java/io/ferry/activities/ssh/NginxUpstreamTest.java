package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.activities.port.WeightedEdgePort.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weighted upstream rewritten in an nginx config, checked by the real {@code nginx -t}. */
class NginxUpstreamTest {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final String SITE =
      "# sophia edge\n"
          + "upstream sophia_backend {\n"
          + "    server 10.0.0.5:8001;\n"
          + "}\n"
          + "server {\n"
          + "    listen 127.0.0.1:18080;\n"
          + "    location / { proxy_pass http://sophia_backend; }\n"
          + "}\n";

  @TempDir Path dir;

  @Test
  void weightsRoundTrip_andTheRestOfTheFileStaysAsItWas() {
    assertThat(NginxUpstream.read(SITE, "sophia_backend", "10.0.0.5:8001", "10.0.0.9:30801"))
        .isEqualTo(new Weights(100, 0));

    String at25 =
        NginxUpstream.write(
            SITE, "sophia_backend", "10.0.0.5:8001", "10.0.0.9:30801", new Weights(75, 25));
    assertThat(NginxUpstream.read(at25, "sophia_backend", "10.0.0.5:8001", "10.0.0.9:30801"))
        .isEqualTo(new Weights(75, 25));
    assertThat(at25)
        .startsWith("# sophia edge\n")
        .endsWith(SITE.substring(SITE.indexOf("server {")));

    String all =
        NginxUpstream.write(
            at25, "sophia_backend", "10.0.0.5:8001", "10.0.0.9:30801", new Weights(0, 100));
    assertThat(all).doesNotContain("10.0.0.5:8001 weight");
    assertThat(NginxUpstream.read(all, "sophia_backend", "10.0.0.5:8001", "10.0.0.9:30801"))
        .isEqualTo(new Weights(0, 100));
  }

  @Test
  void everyWrittenStep_passesTheRealNginxTest() throws Exception {
    assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light)");
    String site = SITE;
    for (int k3s : new int[] {10, 25, 50, 100}) {
      site =
          NginxUpstream.write(
              site,
              "sophia_backend",
              "10.0.0.5:8001",
              "10.0.0.9:30801",
              new Weights(100 - k3s, k3s));
      assertThat(nginxTest(site)).as("nginx -t at %d %%", k3s).isZero();
    }
    // and the test can fail: a broken upstream is refused
    assertThat(nginxTest(site.replace("weight=100;", "weight=abc;"))).isNotZero();
  }

  private int nginxTest(String site) throws Exception {
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(dir.resolve("site.conf"), site);
    Files.writeString(
        conf,
        "pid "
            + dir.resolve("nginx.pid")
            + ";\nerror_log "
            + dir.resolve("error.log")
            + ";\n"
            + "events {}\nhttp {\n  access_log off;\n  include "
            + dir.resolve("site.conf")
            + ";\n}\n");
    Process p =
        new ProcessBuilder(
                NGINX.toString(), "-t", "-q", "-p", dir.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
