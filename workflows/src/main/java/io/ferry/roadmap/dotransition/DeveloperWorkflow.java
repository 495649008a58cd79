package io.ferry.roadmap.dotransition;

import io.ferry.plan.SshTarget;

/**
 * The operator's instructions for the primary switch (seed phases 3 and 5), rendered for this
 * plan's hosts: the SSH config block, the do-sync/do-logs/do-restart aliases and the CI/CD deploy
 * step. Agent forwarding is left out on purpose: the app node holds no keys of the developer.
 */
final class DeveloperWorkflow {

  private DeveloperWorkflow() {}

  static String devWorkflowInstructions(DoTransitionPlan plan, String appHost, String vectorHost) {
    DoTransitionPlan.App app = plan.app();
    SshTarget appSsh = plan.appNode().ssh();
    SshTarget vectorSsh = plan.vectorNode().ssh();
    String dir = app.directory();
    StringBuilder out = new StringBuilder();
    out.append("Add to ~/.ssh/config on the developer machine:\n");
    out.append(hostBlock("do-app", appHost, appSsh, null));
    out.append(
        hostBlock(
            "do-app-dev", appHost, appSsh, "cd " + dir + " && . venv/bin/activate && exec bash"));
    out.append(hostBlock("do-vector", vectorHost, vectorSsh, null));
    out.append("Add to ~/.bashrc on ").append(plan.source().ssh().host()).append(":\n");
    out.append(aliases(plan));
    out.append("Check: do-sync && do-restart && do-logs shows the API starting.");
    return out.toString();
  }

  static String aliases(DoTransitionPlan plan) {
    StringBuilder excludes = new StringBuilder(" --exclude venv --exclude .git");
    plan.source().excludes().forEach(e -> excludes.append(" --exclude ").append(e));
    return "alias do-sync='rsync -avz"
        + excludes
        + " "
        + plan.source().checkoutDir()
        + "/ do-app:"
        + plan.app().directory()
        + "/'\n"
        + "alias do-logs='ssh do-app journalctl -u "
        + plan.app().service()
        + " -f'\n"
        + "alias do-restart='ssh do-app systemctl restart "
        + plan.app().service()
        + "'\n";
  }

  static String ciInstructions(DoTransitionPlan plan, String appHost) {
    return "In .github/workflows/deploy.yml, deploy with: ssh "
        + plan.appNode().ssh().user()
        + "@"
        + appHost
        + " \"cd "
        + plan.app().directory()
        + " && git pull && systemctl restart "
        + plan.app().service()
        + "\" (the runner's known_hosts must hold the app node's host key; no agent forwarding)."
        + " Then stop the job that deploys to "
        + plan.source().ssh().host()
        + ".";
  }

  private static String hostBlock(String alias, String host, SshTarget ssh, String remoteCommand) {
    StringBuilder b = new StringBuilder();
    b.append("Host ").append(alias).append('\n');
    b.append("    HostName ").append(host).append('\n');
    b.append("    User ").append(ssh.user()).append('\n');
    if (ssh.port() != 22) {
      b.append("    Port ").append(ssh.port()).append('\n');
    }
    b.append("    ForwardAgent no\n");
    b.append("    StrictHostKeyChecking yes\n");
    if (remoteCommand != null) {
      b.append("    RequestTTY yes\n");
      b.append("    RemoteCommand ").append(remoteCommand).append('\n');
    }
    return b.toString();
  }
}
