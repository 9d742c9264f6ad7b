/* ucwa-auth.c: the MsRtcOAuth challenge and the password grant.
 *
 * GET user without a token answers 401 with a `WWW-Authenticate: MsRtcOAuth
 * href=...,grant_type=...` challenge (AuthenticationInUCWA.md); we POST the
 * password grant to that href, then GET user again with the token to learn
 * the applications URL, following a `redirect` to the user's home pool
 * (which challenges again) a bounded number of times.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-client-private.h"
#include "ucwa-resource.h"

#define MAX_POOL_REDIRECTS 3

typedef struct {
  UcwaClient   *client;
  UcwaAuthFunc  callback;
  char         *user_url;
  guint         redirects;
} UcwaAuth;

typedef UcwaAuth UcwaAuthRef;

static void
auth_clear (gpointer data)
{
  UcwaAuth *auth = data;

  g_free (auth->user_url);
}

static void
auth_unref (gpointer data)
{
  g_rc_box_release_full (data, auth_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UcwaAuthRef, auth_unref)

static void get_user (UcwaAuth *auth);

static void
auth_fail (UcwaAuth   *auth,
           int         code,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
auth_fail (UcwaAuth   *auth,
           int         code,
           const char *format,
           ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (UCWA_ERROR, code, format, args);
  va_end (args);
  auth->callback (auth->client, error);
}

/* Reads one parameter of a challenge: `name="value"` or `name=value`. */
static char *
challenge_param (const char *challenge,
                 const char *name)
{
  gsize name_len = strlen (name);
  const char *p = challenge;

  while ((p = strstr (p, name)) != NULL)
    {
      gboolean at_start = p == challenge || p[-1] == ' ' || p[-1] == ',';
      const char *value = p + name_len;

      p += name_len;
      if (!at_start || *value != '=')
        continue;
      value++;
      if (*value == '"')
        {
          const char *end = strchr (value + 1, '"');
          return end ? g_strndup (value + 1, end - value - 1) : NULL;
        }
      return g_strndup (value, strcspn (value, ", "));
    }
  return NULL;
}

/* Finds the MsRtcOAuth challenge among the WWW-Authenticate headers (there
 * are several, and their values contain commas, so they cannot be joined). */
static char *
find_oauth_href (SoupMessage *message,
                 gboolean    *password_allowed)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *grants = NULL;

      if (g_ascii_strcasecmp (name, "WWW-Authenticate") != 0
          || g_ascii_strncasecmp (value, "MsRtcOAuth", strlen ("MsRtcOAuth")) != 0)
        continue;
      grants = challenge_param (value, "grant_type");
      *password_allowed = grants == NULL || strstr (grants, "password") != NULL;
      return challenge_param (value, "href");
    }
  return NULL;
}

static void
on_token (UcwaResponse *response,
          const GError *error,
          gpointer      user_data)
{
  UcwaAuth *auth = user_data;
  UcwaClient *client = auth->client;
  JsonObject *answer = ucwa_response_get_object (response);
  const char *token = ucwa_resource_get_string (answer, "access_token");

  if (response->status == SOUP_STATUS_BAD_REQUEST)
    {
      const char *reason = ucwa_resource_get_string (answer, "error");

      if (g_strcmp0 (reason, "invalid_grant") == 0)
        auth_fail (auth, UCWA_ERROR_AUTHENTICATION,
                   _("The server rejected the sign-in address or password"));
      else
        auth_fail (auth, UCWA_ERROR_AUTHENTICATION,
                   _("The server refused to sign in (%s)"), reason ? reason : "400");
      return;
    }
  if (error != NULL)
    {
      auth_fail (auth, error->code, _("Could not get a sign-in token: %s"), error->message);
      return;
    }
  if (token == NULL)
    {
      auth_fail (auth, UCWA_ERROR_PROTOCOL, _("The server sent no sign-in token"));
      return;
    }

  g_free (client->token);
  client->token = g_strdup (token);
  get_user (auth);
}

static void
request_token (UcwaAuth   *auth,
               const char *token_url)
{
  UcwaClient *client = auth->client;
  g_autofree char *form = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *username = g_uri_escape_string (client->address, NULL, FALSE);
  g_autofree char *password = g_uri_escape_string (client->password, NULL, FALSE);
  gsize length;

  form = g_strdup_printf ("grant_type=password&username=%s&password=%s",
                          username, password);
  length = strlen (form);
  body = g_bytes_new_take (g_steal_pointer (&form), length);
  ucwa_client_call (client, "POST", token_url,
                    "application/x-www-form-urlencoded;charset=UTF-8", body,
                    on_token, g_rc_box_acquire (auth), auth_unref);
}

static void
on_user (UcwaResponse *response,
         const GError *error,
         gpointer      user_data)
{
  UcwaAuth *auth = user_data;
  UcwaClient *client = auth->client;
  JsonObject *user = ucwa_response_get_object (response);
  g_autofree char *base = NULL;
  const char *applications, *redirect;

  if (response->status == SOUP_STATUS_UNAUTHORIZED)
    {
      gboolean password_allowed = FALSE;
      g_autofree char *token_url = find_oauth_href (response->message, &password_allowed);

      if (client->token != NULL)
        auth_fail (auth, UCWA_ERROR_AUTHENTICATION,
                   _("The server did not accept its own sign-in token"));
      else if (token_url == NULL)
        auth_fail (auth, UCWA_ERROR_PROTOCOL,
                   _("The server offers no sign-in method this plugin knows"));
      else if (!password_allowed)
        auth_fail (auth, UCWA_ERROR_AUTHENTICATION,
                   _("The server does not allow password sign-in"));
      else
        {
          g_autofree char *resolved = ucwa_resource_resolve (auth->user_url, token_url);
          request_token (auth, resolved);
        }
      return;
    }
  if (error != NULL)
    {
      auth_fail (auth, error->code, _("Could not read the user resource: %s"),
                 error->message);
      return;
    }

  base = g_strdup (auth->user_url);
  applications = ucwa_resource_get_link (user, "applications");
  redirect = ucwa_resource_get_link (user, "redirect");
  if (applications != NULL)
    {
      g_free (client->applications_url);
      client->applications_url = ucwa_resource_resolve (base, applications);
      auth->callback (client, NULL);
      return;
    }
  if (redirect != NULL && auth->redirects < MAX_POOL_REDIRECTS)
    {
      /* The user lives on another pool, which issues its own token. */
      auth->redirects++;
      g_free (auth->user_url);
      auth->user_url = ucwa_resource_resolve (base, redirect);
      g_clear_pointer (&client->token, g_free);
      get_user (auth);
      return;
    }
  auth_fail (auth, UCWA_ERROR_PROTOCOL, _("The user resource names no applications URL"));
}

static void
get_user (UcwaAuth *auth)
{
  ucwa_client_call (auth->client, "GET", auth->user_url, NULL, NULL, on_user,
                    g_rc_box_acquire (auth), auth_unref);
}

void
ucwa_auth_run (UcwaClient   *client,
               const char   *user_url,
               UcwaAuthFunc  callback)
{
  g_autoptr(UcwaAuthRef) auth = g_rc_box_new0 (UcwaAuth);

  auth->client = client;
  auth->callback = callback;
  auth->user_url = g_strdup (user_url);
  get_user (auth);
}
