/* connection.c: sign-in and sign-out of one account, sign-in progress, and
 * the mapping of the core's errors onto purple connection errors (which
 * decides whether the UI reconnects). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ucwa-purple.h"

UcwaPurpleConnection *
ucwa_purple_connection_get (PurpleConnection *gc)
{
  g_return_val_if_fail (gc != NULL, NULL);
  return purple_connection_get_protocol_data (gc);
}

PurpleConnectionError
ucwa_purple_connection_error_from_gerror (const GError *error)
{
  if (error == NULL || error->domain != UCWA_ERROR)
    return PURPLE_CONNECTION_ERROR_OTHER_ERROR;

  switch ((UcwaErrorCode) error->code)
    {
    case UCWA_ERROR_NETWORK:
    case UCWA_ERROR_SERVER:
    case UCWA_ERROR_PROTOCOL:
    case UCWA_ERROR_TIMEOUT:
    case UCWA_ERROR_OPERATION_FAILED:
      /* Transient as far as we can tell: let the UI reconnect. */
      return PURPLE_CONNECTION_ERROR_NETWORK_ERROR;
    case UCWA_ERROR_AUTHENTICATION:
      return PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED;
    case UCWA_ERROR_INVALID_SETTINGS:
      return PURPLE_CONNECTION_ERROR_INVALID_SETTINGS;
    case UCWA_ERROR_CERTIFICATE:
      return PURPLE_CONNECTION_ERROR_CERT_OTHER_ERROR;
    case UCWA_ERROR_SESSION_ENDED:
    case UCWA_ERROR_CANCELLED:
    default:
      return PURPLE_CONNECTION_ERROR_OTHER_ERROR;
    }
}

/* "alice@example.test": a non-empty local part, one '@', a non-empty
 * domain, no white space. */
static gboolean
ucwa_purple_address_is_valid (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0')
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return FALSE;

  at = strchr (address, '@');
  return at != NULL && at != address && at[1] != '\0'
         && strchr (at + 1, '@') == NULL;
}

/* A GUID that identifies this account's endpoint to the server across
 * sign-ins, so that signing in again reuses the application. */
static const char *
ucwa_purple_endpoint_id (PurpleAccount *account)
{
  const char *id;

  id = purple_account_get_string (account, UCWA_PURPLE_SETTING_ENDPOINT_ID,
                                  NULL);
  if (id == NULL || !g_uuid_string_is_valid (id))
    {
      g_autofree char *fresh = g_uuid_string_random ();

      purple_account_set_string (account, UCWA_PURPLE_SETTING_ENDPOINT_ID,
                                 fresh);
      id = purple_account_get_string (account,
                                      UCWA_PURPLE_SETTING_ENDPOINT_ID, NULL);
    }
  return id;
}

static void
ucwa_purple_on_progress (UcwaClient *client, const char *text, guint step,
                         guint total, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;

  /* purple wants step < total; the last step is "connected" itself. */
  if (total == 0)
    return;
  purple_connection_update_progress (conn->gc, text, MIN (step, total - 1),
                                     total);
}

static void
ucwa_purple_on_connected (UcwaClient *client, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;
  const char *name = ucwa_client_get_display_name (client);

  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY, "signed in as %s\n",
                     purple_account_get_username (conn->account));
  if (name != NULL && *name != '\0')
    purple_connection_set_display_name (conn->gc, name);
  purple_connection_set_state (conn->gc, PURPLE_CONNECTED);
}

static void
ucwa_purple_on_disconnected (UcwaClient *client, const GError *error,
                             gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;
  PurpleConnectionError reason = ucwa_purple_connection_error_from_gerror (error);
  const char *text;

  text = (error != NULL && error->message != NULL && *error->message != '\0')
             ? error->message
             : _("The server ended the connection.");
  purple_debug_warning (UCWA_PURPLE_DEBUG_CATEGORY,
                        "disconnected (reason %d, %s): %s\n", reason,
                        purple_connection_error_is_fatal (reason)
                            ? "fatal" : "will reconnect",
                        text);
  purple_connection_error_reason (conn->gc, reason, text);
}

static const UcwaListener ucwa_purple_listener = {
  .progress = ucwa_purple_on_progress,
  .connected = ucwa_purple_on_connected,
  .disconnected = ucwa_purple_on_disconnected,
  .contact_added = ucwa_purple_contact_added,
  .contact_presence = ucwa_purple_contact_presence,
  .im_received = ucwa_purple_im_received,
  .im_sent = ucwa_purple_im_sent,
  .im_failed = ucwa_purple_im_failed,
  .typing_changed = ucwa_purple_typing_changed,
  .conversation_ended = ucwa_purple_conversation_ended,
};

void
ucwa_purple_login (PurpleAccount *account)
{
  PurpleConnection *gc = purple_account_get_connection (account);
  const char *address = purple_account_get_username (account);
  const char *server;
  UcwaPurpleConnection *conn;
  UcwaClientConfig config = { 0 };
  g_autofree char *user_agent = NULL;
  g_autoptr (GError) error = NULL;

  if (!ucwa_purple_address_is_valid (address))
    {
      purple_connection_error_reason (gc,
          PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
          _("The username must be a sign-in address with a domain, "
            "such as user@example.com."));
      return;
    }

  server = purple_account_get_string (account, UCWA_PURPLE_SETTING_SERVER, "");
  if (server != NULL && *server != '\0'
      && !ucwa_check_server_url (server, &error))
    {
      g_autofree char *text = g_strdup_printf (
          _("The autodiscovery URL cannot be used: %s"), error->message);

      purple_connection_error_reason (gc,
          PURPLE_CONNECTION_ERROR_INVALID_SETTINGS, text);
      return;
    }

  /* Formatting is not sent (UCWA gets plain text), so tell the UI. */
  gc->flags |= PURPLE_CONNECTION_NO_BGCOLOR | PURPLE_CONNECTION_NO_FONTSIZE
               | PURPLE_CONNECTION_NO_URLDESC | PURPLE_CONNECTION_NO_IMAGES;

  conn = g_new0 (UcwaPurpleConnection, 1);
  conn->gc = gc;
  conn->account = account;
  purple_connection_set_protocol_data (gc, conn);

  user_agent = g_strdup_printf ("purple-ucwa/%s", PACKAGE_VERSION);
  config.address = address;
  config.password = purple_connection_get_password (gc);
  config.discovery_url = server;
  config.user_agent = user_agent;
  config.endpoint_id = ucwa_purple_endpoint_id (account);

  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY,
                     "signing in as %s (discovery: %s)\n", address,
                     (server != NULL && *server != '\0') ? server
                                                          : "from the address");
  conn->client = ucwa_client_new (&config, &ucwa_purple_listener, conn);
  ucwa_client_connect (conn->client);
}

void
ucwa_purple_close (PurpleConnection *gc)
{
  UcwaPurpleConnection *conn = ucwa_purple_connection_get (gc);

  if (conn == NULL)
    return;

  purple_connection_set_protocol_data (gc, NULL);
  /* Detaches the listener at once: nothing touches gc after this. */
  if (conn->client != NULL)
    ucwa_client_shutdown (g_steal_pointer (&conn->client));
  g_free (conn);
  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY, "signed out\n");
}
