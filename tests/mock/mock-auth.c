/* mock-auth.c: autodiscovery and the OAuth web ticket service.
 *
 * Shapes follow RootURL.md, AuthenticationInUCWA.md, CreateAnApplication.md
 * and user_ref.md.
 */
#include "mock.h"

#include <string.h>

#define ROOT_PATH "/autodiscover/autodiscoverservice.svc/root"
#define USER_PATH ROOT_PATH "/oauth/user"
#define TOKEN_PATH "/webticket/oauthtoken"

/* CreateAnApplication.md: the discovery root. */
static void
handle_root (MockServer *server, SoupServerMessage *msg)
{
  JsonObject *root = json_object_new ();
  g_autofree char *self = mock_server_url (server, "/Autodiscover/AutodiscoverService.svc/root");
  g_autofree char *user = mock_server_url (server, "/Autodiscover/AutodiscoverService.svc/root/oauth/user");
  g_autofree char *xframe = mock_server_url (server, "/Autodiscover/XFrame/XFrame.html");
  mock_add_link (root, "self", self);
  mock_add_link (root, "user", user);
  mock_add_link (root, "xframe", xframe);
  mock_respond_json (msg, SOUP_STATUS_OK, root);
}

/* AuthenticationInUCWA.md: 401 with an HTML body and two challenges. */
static void
respond_challenge (MockServer *server, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *token_url = mock_server_url (server, "/WebTicket/oauthtoken");
  g_autofree char *ms = g_strdup_printf (
      "MsRtcOAuth href=\"%s\",grant_type=\"urn:microsoft.rtc:windows,"
      "urn:microsoft.rtc:anonmeeting,password\"", token_url);
  soup_message_headers_append (headers, "WWW-Authenticate",
      "Bearer trusted_issuers=\"00000002-0000-0ff1-ce00-000000000000@example.test\", "
      "client_id=\"00000004-0000-0ff1-ce00-000000000000\"");
  soup_message_headers_append (headers, "WWW-Authenticate", ms);
  static const char html[] =
      "<!DOCTYPE html><html><head><title>401 - Unauthorized</title></head>"
      "<body><h1>401 - Unauthorized: Access is denied due to invalid credentials."
      "</h1></body></html>";
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                    html, strlen (html));
}

MockUser *
mock_auth_require (MockServer *server, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  MockUser *user = NULL;
  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      const char *token = auth + 7;
      while (*token == ' ')
        token++;
      user = mock_directory_user_for_token (server, token);
    }
  if (!user)
    respond_challenge (server, msg);
  return user;
}

/* CreateAnApplication.md: the user resource with `applications`. */
static void
handle_user (MockServer *server, SoupServerMessage *msg)
{
  if (!mock_auth_require (server, msg))
    return;
  JsonObject *res = json_object_new ();
  g_autofree char *self = mock_server_url (server, "/Autodiscover/AutodiscoverService.svc/root/user");
  g_autofree char *apps = mock_server_url (server, MOCK_UCWA_PREFIX);
  g_autofree char *xframe = mock_server_url (server, "/Autodiscover/XFrame/XFrame.html");
  mock_add_link (res, "self", self);
  mock_add_link (res, "applications", apps);
  mock_add_link (res, "xframe", xframe);
  mock_respond_json (msg, SOUP_STATUS_OK, res);
}

static void
respond_oauth_error (SoupServerMessage *msg, const char *error)
{
  JsonObject *body = json_object_new ();
  json_object_set_string_member (body, "error", error);
  mock_respond_json (msg, SOUP_STATUS_BAD_REQUEST, body);
}

/* AuthenticationInUCWA.md: the password grant. */
static void
handle_token (MockServer *server, SoupServerMessage *msg)
{
  g_autofree char *body = mock_body_text (msg);
  g_autoptr (GHashTable) form = soup_form_decode (body);
  const char *grant = g_hash_table_lookup (form, "grant_type");
  if (!grant)
    {
      respond_oauth_error (msg, "invalid_request");
      return;
    }
  if (g_strcmp0 (grant, "password") != 0)
    {
      respond_oauth_error (msg, "unsupported_grant_type");
      return;
    }
  MockUser *user = mock_directory_check_password (server,
      g_hash_table_lookup (form, "username"),
      g_hash_table_lookup (form, "password"));
  if (!user)
    {
      respond_oauth_error (msg, "invalid_grant");
      return;
    }
  g_autofree char *token = mock_directory_issue_token (server, user);
  JsonObject *res = json_object_new ();
  json_object_set_string_member (res, "access_token", token);
  json_object_set_int_member (res, "expires_in", 28800);
  json_object_set_string_member (res, "ms_rtc_identityscope", "local");
  json_object_set_string_member (res, "token_type", "Bearer");
  mock_respond_json (msg, SOUP_STATUS_OK, res);
}

gboolean
mock_auth_handle (MockServer *server, SoupServerMessage *msg, const char *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  gboolean is_get = g_strcmp0 (method, "GET") == 0;

  if (g_strcmp0 (lower, ROOT_PATH) == 0)
    {
      if (is_get)
        handle_root (server, msg);
      else
        mock_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", NULL, "Use GET.");
      return TRUE;
    }
  if (g_strcmp0 (lower, USER_PATH) == 0 || g_strcmp0 (lower, ROOT_PATH "/user") == 0)
    {
      if (is_get)
        handle_user (server, msg);
      else
        mock_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", NULL, "Use GET.");
      return TRUE;
    }
  if (g_strcmp0 (lower, TOKEN_PATH) == 0)
    {
      if (g_strcmp0 (method, "POST") == 0)
        handle_token (server, msg);
      else
        mock_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", NULL, "Use POST.");
      return TRUE;
    }
  return FALSE;
}
