// A Spark SQL extension for `casebook serve`: sessions of the Thrift server read and write tables,
// never the files or programs of the account that runs it. Refused, each with one sentence:
// SET spark.sql.runSQLOnFiles (path queries such as text.`/etc/hostname` stay off), TRANSFORM ... USING
// (runs a program), ADD JAR/FILE/ARCHIVE, CREATE FUNCTION (loads code), LOAD DATA (reads a path), and a
// table LOCATION or path outside the warehouse and the raw lake ($CASEBOOK_SERVED_FOLDERS, comma-separated),
// and reflect/java_method/try_reflect (they call static Java methods in the server: System.getenv and
// System.getProperty read its secrets, System.exit stops it).
// Casebook compiles this file with the JDK's javac on first `casebook serve` (see thrift.py).
package casebook.thrift;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.SetCommand;
import scala.Function1;
import scala.Option;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

public final class ServedSessionGuard implements Function1<SparkSessionExtensions, BoxedUnit> {
  private static final Set<String> LOCKED_SETTINGS =
      Set.of("spark.sql.runSQLOnFiles", "spark.sql.warehouse.dir", "spark.sql.extensions");
  private static final Set<String> REFUSED_NODES =
      Set.of(
          "ScriptTransformation",
          "AddJarsCommand",
          "AddFilesCommand",
          "AddArchivesCommand",
          "CreateFunctionCommand",
          "CreateFunction",
          "CreateUserDefinedFunction",
          "LoadDataCommand",
          "LoadData");
  private static final Set<String> REFUSED_EXPRESSIONS = Set.of("CallMethodViaReflection", "TryReflect");

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    Function1<SparkSession, Function1<LogicalPlan, BoxedUnit>> rule = session -> ServedSessionGuard::check;
    extensions.injectCheckRule(rule);
    return BoxedUnit.UNIT;
  }

  private static BoxedUnit check(LogicalPlan plan) {
    Function1<LogicalPlan, BoxedUnit> visit =
        node -> {
          checkNode(node);
          return BoxedUnit.UNIT;
        };
    plan.foreach(visit);
    return BoxedUnit.UNIT;
  }

  private static void checkNode(LogicalPlan node) {
    String name = node.getClass().getSimpleName();
    if (REFUSED_NODES.contains(name)) {
      refuse(name + " is not allowed through the Casebook Thrift server: it runs programs, loads code or "
          + "reads local paths; use `casebook sql` or dbt on the machine instead.");
    }
    if (node instanceof SetCommand) {
      Option<Tuple2<String, Option<String>>> kv = ((SetCommand) node).kv();
      if (kv.isDefined() && kv.get()._2().isDefined() && LOCKED_SETTINGS.contains(kv.get()._1())) {
        refuse("Setting " + kv.get()._1() + " is not allowed through the Casebook Thrift server.");
      }
    }
    Function1<Expression, BoxedUnit> checkExpression =
        expression -> {
          if (REFUSED_EXPRESSIONS.contains(expression.getClass().getSimpleName())) {
            refuse(expression.prettyName() + " is not allowed through the Casebook Thrift server: it calls "
                + "Java methods inside the server; use `casebook sql` or dbt on the machine instead.");
          }
          return BoxedUnit.UNIT;
        };
    Function1<Expression, BoxedUnit> walkExpression =
        expression -> {
          expression.foreach(checkExpression);
          return BoxedUnit.UNIT;
        };
    node.expressions().foreach(walkExpression);
    for (String location : locations(node)) {
      if (!insideWarehouse(location)) {
        refuse("The location " + location + " is outside the folders the Casebook Thrift server serves ("
            + String.join(", ", servedFolders()) + "): leave LOCATION and path out of the statement.");
      }
    }
  }

  private static List<String> locations(LogicalPlan node) {
    List<String> found = new ArrayList<>();
    Object spec = call(node, "tableSpec");
    addOption(found, spec == null ? null : call(spec, "location"));
    for (String tableName : new String[] {"table", "tableDesc"}) {
      Object table = call(node, tableName);
      Object storage = table == null ? null : call(table, "storage");
      addOption(found, storage == null ? null : call(storage, "locationUri"));
    }
    addOption(found, call(node, "location"));
    for (String mapName : new String[] {"options", "properties"}) {
      addPath(found, call(node, mapName));
      addPath(found, spec == null ? null : call(spec, mapName));
    }
    return found;
  }

  private static void addPath(List<String> found, Object map) {
    if (map instanceof scala.collection.Map) {
      @SuppressWarnings("unchecked")
      scala.collection.Map<Object, Object> options = (scala.collection.Map<Object, Object>) map;
      addOption(found, options.get("path"));
      addOption(found, options.get("location"));
    }
  }

  private static void addOption(List<String> found, Object value) {
    if (value instanceof Option && ((Option<?>) value).isDefined()) {
      found.add(String.valueOf(((Option<?>) value).get()));
    } else if (value instanceof String || value instanceof URI) {
      found.add(String.valueOf(value));
    }
  }

  private static Object call(Object target, String method) {
    try {
      Method found = target.getClass().getMethod(method);
      return found.getParameterCount() == 0 ? found.invoke(target) : null;
    } catch (ReflectiveOperationException | RuntimeException error) {
      return null;
    }
  }

  private static List<String> servedFolders() {
    String configured = System.getenv("CASEBOOK_SERVED_FOLDERS");
    List<String> folders = new ArrayList<>();
    for (String folder : (configured == null ? "" : configured).split(",")) {
      if (!folder.isBlank()) {
        folders.add(folder.endsWith("/") ? folder : folder + "/");
      }
    }
    return folders;
  }

  private static boolean insideWarehouse(String location) {
    URI candidate;
    try {
      candidate = location.contains(":") ? URI.create(location) : new java.io.File(location).toURI();
    } catch (IllegalArgumentException error) {
      return false;
    }
    String path = candidate.normalize().getPath();
    if (path == null || path.contains("/../")) {
      return false;
    }
    for (String folder : servedFolders()) {
      String root = URI.create(folder).normalize().getPath();
      if (root != null && (path.endsWith("/") ? path : path + "/").startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  private static void refuse(String sentence) {
    throw new SecurityException(sentence);
  }
}
