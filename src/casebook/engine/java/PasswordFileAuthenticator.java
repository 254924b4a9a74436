// HiveServer2 CUSTOM authentication for `casebook serve`: one user, one generated password.
// The password comes from $CASEBOOK_THRIFT_PASSWORD, else from the 0600 file named by
// $CASEBOOK_THRIFT_PASSWORD_FILE; the user name from $CASEBOOK_THRIFT_USER (default casebook).
// Casebook compiles this file with the JDK's javac on first `casebook serve` (see thrift.py).
package casebook.thrift;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;

public final class PasswordFileAuthenticator implements PasswdAuthenticationProvider {
  private static final String REFUSED =
      "Casebook refused the login: wrong user name or password (see `casebook serve`'s output)";

  @Override
  public void Authenticate(String user, String password) throws AuthenticationException {
    String expected = expectedPassword();
    String expectedUser = System.getenv().getOrDefault("CASEBOOK_THRIFT_USER", "casebook");
    boolean userMatches = MessageDigest.isEqual(bytes(user), bytes(expectedUser));
    boolean passwordMatches = MessageDigest.isEqual(bytes(password), bytes(expected));
    if (expected.isEmpty() || !userMatches || !passwordMatches) {
      throw new AuthenticationException(REFUSED);
    }
  }

  private static String expectedPassword() throws AuthenticationException {
    String configured = System.getenv("CASEBOOK_THRIFT_PASSWORD");
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    String file = System.getenv("CASEBOOK_THRIFT_PASSWORD_FILE");
    if (file == null || file.isEmpty()) {
      throw new AuthenticationException("Casebook: the server has no password file");
    }
    try {
      return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).strip();
    } catch (IOException error) {
      throw new AuthenticationException("Casebook: cannot read the server's password file", error);
    }
  }

  private static byte[] bytes(String value) {
    return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
  }
}
