package io.ferry.roadmap.weaviatefirst;

import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;

/** The paths through weaviate-first whose histories are kept for replay tests. */
enum HistoryFixtures {
  HAPPY_PATH("weaviate-first-happy-path.json") {
    @Override
    String record() {
      try (Harness h = new Harness()) {
        WorkflowStub stub = h.start(Harness.plan());
        h.driveToEnd(stub);
        return h.env
            .getWorkflowClient()
            .fetchHistory(stub.getExecution().getWorkflowId())
            .toJson(true);
      }
    }
  },
  ROLLBACK_PATH("weaviate-first-rollback-path.json") {
    @Override
    String record() {
      CallLog log =
          new CallLog().failAt("switch-dns", Integer.MAX_VALUE).failAt("undo:copy-structured", 1);
      try (Harness h = new Harness(log, new FakeActivities())) {
        WorkflowStub stub = h.start(Harness.plan());
        h.drive(stub, s -> s.parked() != null);
        h.operate(stub, OperatorAction.RETRY, OperatorInput.on("copy-structured", "replay", null));
        h.driveToEnd(stub);
        return h.env
            .getWorkflowClient()
            .fetchHistory(stub.getExecution().getWorkflowId())
            .toJson(true);
      }
    }
  };

  final String file;

  HistoryFixtures(String file) {
    this.file = file;
  }

  abstract String record();

  Path source() {
    return Path.of("src/test/resources/histories", file);
  }
}
