package dev.lotgraph.neo4jdev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j Community server for tests and development: Bolt on 127.0.0.1, auth off, data in the
 * directory given (start.sh makes a fresh one), a small page cache. It prints exactly one line
 * starting with "NEO4J READY" once the default database answers, then runs until stopped.
 *
 * <p>Arguments: data directory, Bolt port. Page cache: NEO4J_DEV_PAGECACHE_MB (default 128).
 */
public final class Neo4jDevServer {
  private Neo4jDevServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Neo4jDevServer <data directory> <bolt port>");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    long pageCacheMb = Long.parseLong(envOr("NEO4J_DEV_PAGECACHE_MB", "128"));
    Files.createDirectories(home);

    long started = System.nanoTime();
    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
            // A test server: keep transaction logs small so a long CI run does not fill the disk.
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
            .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
            .build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

    // The default database answering a query means Bolt clients can work, not only connect.
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
    Runtime rt = Runtime.getRuntime();
    long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    System.out.printf(
        "NEO4J READY bolt://127.0.0.1:%d started_ms=%d heap_used_mb=%d heap_max_mb=%d pagecache_mb=%d%n",
        port, ms, heapMb, rt.maxMemory() / (1024 * 1024), pageCacheMb);
    System.out.flush();
    Thread.currentThread().join();
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
