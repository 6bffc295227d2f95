package dev.lotgraph.helmdev;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small `helm` for tests: the real Helm library (helm-java), three commands.
 *
 * <pre>
 *   version
 *   lint CHART [--strict]
 *   template CHART [--name N] [--namespace NS] [--kube-version V] [-f VALUES]... [--set K=V]...
 * </pre>
 *
 * Exit codes: 0 success, 1 the chart failed (messages on stderr), 2 usage. Several commands can
 * run in one JVM (it loads a 98 MB native library once): separate them with a lone "--next". Each
 * command's output then ends, on stdout and on stderr alike, with a line
 * "---- lotgraph-helm-dev exit CODE ----", and the process exits with the worst code.
 */
public final class HelmCli {
  static final String END_MARK = "---- lotgraph-helm-dev exit %d ----%n";

  private HelmCli() {}

  public static void main(String[] args) {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--next")) {
        commands.add(current);
        current = new ArrayList<>();
      } else {
        current.add(arg);
      }
    }
    commands.add(current);
    int worst = 0;
    boolean batch = commands.size() > 1;
    for (List<String> command : commands) {
      int code;
      try {
        code = run(command);
      } catch (UsageException e) {
        System.err.println("usage: " + e.getMessage());
        code = 2;
      } catch (RuntimeException e) {
        // helm-java reports a failed render or a schema violation as an IllegalStateException
        // carrying Helm's own message.
        System.err.println("Error: " + e.getMessage());
        code = 1;
      }
      if (batch) {
        System.out.printf(END_MARK, code);
        System.err.printf(END_MARK, code);
      }
      System.out.flush();
      System.err.flush();
      worst = Math.max(worst, code);
    }
    System.exit(worst);
  }

  private static int run(List<String> args) {
    if (args.isEmpty()) throw new UsageException("version | lint CHART | template CHART ...");
    switch (args.get(0)) {
      case "version":
        System.out.println(Helm.version().call());
        return 0;
      case "lint":
        return lint(args.subList(1, args.size()));
      case "template":
        return template(args.subList(1, args.size()));
      default:
        throw new UsageException("unknown command " + args.get(0));
    }
  }

  private static int lint(List<String> args) {
    if (args.isEmpty()) throw new UsageException("lint CHART [--strict]");
    var command = new Helm(Path.of(args.get(0))).lint();
    for (String flag : args.subList(1, args.size())) {
      if (flag.equals("--strict")) command = command.strict();
      else throw new UsageException("lint: unknown flag " + flag);
    }
    LintResult result = command.call();
    for (String message : result.getMessages()) System.out.println(message);
    System.out.println(result.isFailed() ? "lint: FAILED" : "lint: ok");
    return result.isFailed() ? 1 : 0;
  }

  private static int template(List<String> args) {
    if (args.isEmpty()) throw new UsageException("template CHART [flags]");
    TemplateCommand command = new Helm(Path.of(args.get(0))).template();
    for (int i = 1; i < args.size(); i++) {
      String flag = args.get(i);
      if (i + 1 >= args.size()) throw new UsageException("template: " + flag + " needs a value");
      String value = args.get(++i);
      switch (flag) {
        case "--name":
          command = command.withName(value);
          break;
        case "--namespace":
          command = command.withNamespace(value);
          break;
        case "--kube-version":
          command = command.withKubeVersion(value);
          break;
        case "-f":
        case "--values":
          command = command.withValuesFile(Path.of(value));
          break;
        case "--set":
          int eq = value.indexOf('=');
          if (eq < 1) throw new UsageException("--set wants KEY=VALUE, got " + value);
          command = command.set(value.substring(0, eq), value.substring(eq + 1));
          break;
        default:
          throw new UsageException("template: unknown flag " + flag);
      }
    }
    System.out.print(command.call());
    return 0;
  }

  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
