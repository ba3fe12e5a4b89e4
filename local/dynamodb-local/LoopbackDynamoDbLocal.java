import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Amazon's DynamoDB Local, listening on 127.0.0.1 only. Its own ServerRunner binds every interface and has no
 * host option, so this launcher builds the server from the same command-line arguments, sets the host of its
 * Jetty connectors to loopback, and starts it. Telemetry, which ServerRunner's main sets up, is never started.
 *
 * With EXIT_WITH_STDIN=1 it exits when its standard input closes, i.e. when the process that started it is gone,
 * however that process ended.
 *
 * Compiled for Java 17 (the class file sits beside this source, so a JRE is enough):
 *   javac --release 17 -cp "DynamoDBLocal.jar:DynamoDBLocal_lib/*" -d local/dynamodb-local local/dynamodb-local/LoopbackDynamoDbLocal.java
 */
public final class LoopbackDynamoDbLocal {
  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost("127.0.0.1");
        bound++;
      }
    }
    if (bound == 0) throw new IllegalStateException("DynamoDB Local has no network connector to bind to 127.0.0.1");
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1");
    if ("1".equals(System.getenv("EXIT_WITH_STDIN"))) exitWhenStdinCloses();
  }

  private static void exitWhenStdinCloses() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Input is ignored; only its end matters.
        }
      } catch (java.io.IOException ignored) {
        // A broken pipe means the parent is gone as well.
      }
      System.exit(0);
    }, "exit-with-stdin");
    watcher.setDaemon(true);
    watcher.start();
  }
}
