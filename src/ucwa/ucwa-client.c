/* ucwa-client.c: one signed-in endpoint: its life (new, fail, shutdown,
 * which deletes the application), its requests, its dispatch table, and
 * the public calls of the front end.  Signing in is ucwa-sign-in.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-client-private.h"
#include "ucwa-resource.h"

#define DEFAULT_OPERATION_TIMEOUT_MS (60 * 1000)
#define DEFAULT_KEEPALIVE_MS         (3 * 60 * 1000)
#define TOMBSTONE_MS                 (2 * 60 * 1000)
#define SHUTDOWN_DELETE_TIMEOUT_S    5
#define DEFAULT_REQUEST_TIMEOUT_S    30

static void stop_activity (UcwaClient *client);

UcwaClient *
ucwa_client_new (const UcwaClientConfig *config,
                 const UcwaListener     *listener,
                 gpointer                user_data)
{
  UcwaClient *client;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->address != NULL, NULL);

  client = g_new0 (UcwaClient, 1);
  g_atomic_ref_count_init (&client->ref_count);
  client->state = UCWA_CLIENT_DISCONNECTED;
  client->address = g_ascii_strdown (config->address, -1);
  client->password = g_strdup (config->password ? config->password : "");
  if (config->discovery_url != NULL && *config->discovery_url != '\0')
    client->discovery_url = g_strdup (config->discovery_url);
  client->user_agent = g_strdup (config->user_agent ? config->user_agent
                                                    : "purple-ucwa/" PACKAGE_VERSION);
  client->endpoint_id = config->endpoint_id ? g_strdup (config->endpoint_id)
                                            : g_uuid_string_random ();
  client->operation_timeout_ms = config->operation_timeout_ms
                                   ? config->operation_timeout_ms
                                   : DEFAULT_OPERATION_TIMEOUT_MS;
  client->keepalive_interval_ms = config->keepalive_interval_ms
                                    ? config->keepalive_interval_ms
                                    : DEFAULT_KEEPALIVE_MS;
  client->request_timeout_s = config->request_timeout_s
                                ? config->request_timeout_s
                                : DEFAULT_REQUEST_TIMEOUT_S;
  if (listener != NULL)
    client->listener = *listener;
  client->listener_data = user_data;

  /* No session-wide timeout: the P-GET is parked for minutes on purpose,
   * so every request has its own.  The parked P-GET holds a connection,
   * and the others (a held 201, typing, keep-alive) must not queue behind
   * it: libsoup's default is two connections per host. */
  client->session = soup_session_new_with_options ("user-agent", client->user_agent,
                                                   "timeout", 0,
                                                   "max-conns-per-host", 8,
                                                   NULL);
  client->cancellable = g_cancellable_new ();
  client->operations = ucwa_operations_new (client->operation_timeout_ms, TOMBSTONE_MS);
  return client;
}

UcwaClient *
ucwa_client_ref (UcwaClient *client)
{
  g_atomic_ref_count_inc (&client->ref_count);
  return client;
}

void
ucwa_client_unref (UcwaClient *client)
{
  if (!g_atomic_ref_count_dec (&client->ref_count))
    return;

  stop_activity (client);
  g_clear_pointer (&client->operations, ucwa_operations_free);
  g_clear_object (&client->cancellable);
  g_clear_object (&client->session);
  g_clear_pointer (&client->application, json_object_unref);
  g_free (client->address);
  if (client->password != NULL)
    memset (client->password, 0, strlen (client->password));
  g_free (client->password);
  if (client->token != NULL)
    memset (client->token, 0, strlen (client->token));
  g_free (client->token);
  g_free (client->discovery_url);
  g_free (client->user_agent);
  g_free (client->endpoint_id);
  g_free (client->applications_url);
  g_free (client->application_url);
  g_free (client->display_name);
  g_free (client);
}

gboolean
ucwa_client_is_live (UcwaClient *client)
{
  return !client->shutting_down && client->state != UCWA_CLIENT_CLOSED;
}

UcwaClientState
ucwa_client_get_state (UcwaClient *client)
{
  g_return_val_if_fail (client != NULL, UCWA_CLIENT_CLOSED);
  return client->state;
}

const char *
ucwa_client_get_display_name (UcwaClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  return client->display_name;
}

char *
ucwa_client_resolve (UcwaClient *client,
                     const char *href)
{
  const char *base = client->application_url ? client->application_url
                                             : client->applications_url;

  if (href == NULL)
    return NULL;
  if (base == NULL)
    return g_strdup (href);
  return ucwa_resource_resolve (base, href);
}

/* ---- requests ------------------------------------------------------- */

UcwaPersonCall *
ucwa_person_call_new (UcwaClient *client,
                      const char *address)
{
  UcwaPersonCall *call = g_new0 (UcwaPersonCall, 1);

  call->client = client;
  call->address = g_strdup (address);
  return call;
}

void
ucwa_person_call_free (gpointer data)
{
  UcwaPersonCall *call = data;

  g_free (call->address);
  g_free (call);
}

typedef struct {
  UcwaClient       *client;
  UcwaResponseFunc  callback;
  gpointer          user_data;
  GDestroyNotify    destroy;
  GError           *error;        /* a request that could not be built */
  GCancellable     *cancellable;  /* this request's own, child of the client's */
  GCancellable     *parent;
  gulong            parent_handler;
  guint             timeout_s;
  guint             timeout_id;
  gboolean          timed_out;
} UcwaCall;

static void
ucwa_call_free (UcwaCall *call)
{
  if (call->destroy != NULL)
    call->destroy (call->user_data);
  g_clear_error (&call->error);
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  /* Not from a cancelled parent: its handlers may be running (GLib would
   * wait for them), and they go with it anyway. */
  if (call->parent != NULL && !g_cancellable_is_cancelled (call->parent))
    g_cancellable_disconnect (call->parent, call->parent_handler);
  g_clear_object (&call->parent);
  g_clear_object (&call->cancellable);
  ucwa_client_unref (call->client);
  g_free (call);
}

static void
on_call_done (UcwaResponse *response,
              const GError *error,
              gpointer      user_data)
{
  UcwaCall *call = user_data;
  g_autoptr(GError) timeout = NULL;

  /* Our own timer cancelled it: a network failure, not a shutdown. */
  if (call->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    error = timeout = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                   _("The server did not answer within %u seconds"),
                                   call->timeout_s);
  if (ucwa_client_is_live (call->client)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    call->callback (response, error, call->user_data);
  ucwa_call_free (call);
}

static gboolean
report_build_error (gpointer user_data)
{
  UcwaCall *call = user_data;
  UcwaResponse response = { 0 };

  on_call_done (&response, call->error, call);
  return G_SOURCE_REMOVE;
}

static gboolean
on_call_timeout (gpointer user_data)
{
  UcwaCall *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
cancel_child (GCancellable *parent,
              GCancellable *child)
{
  g_cancellable_cancel (child);
}

void
ucwa_client_call_full (UcwaClient       *client,
                       const char       *method,
                       const char       *href,
                       const char       *content_type,
                       GBytes           *body,
                       guint             timeout_s,
                       UcwaResponseFunc  callback,
                       gpointer          user_data,
                       GDestroyNotify    destroy)
{
  g_autofree char *url = ucwa_client_resolve (client, href);
  g_autoptr(SoupMessage) message = NULL;
  UcwaCall *call;

  call = g_new0 (UcwaCall, 1);
  call->client = ucwa_client_ref (client);
  call->callback = callback;
  call->user_data = user_data;
  call->destroy = destroy;

  message = ucwa_request_new (method, url, client->token, &call->error);
  if (message == NULL)
    {
      g_idle_add (report_build_error, call);
      return;
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);
  else if (g_strcmp0 (method, "POST") == 0)
    soup_message_headers_set_content_length (soup_message_get_request_headers (message), 0);

  /* Each request can end on its own (its timeout) or with all the others
   * (the client's cancellable, at shutdown). */
  call->cancellable = g_cancellable_new ();
  call->parent = g_object_ref (client->cancellable);
  call->parent_handler = g_cancellable_connect (call->parent, G_CALLBACK (cancel_child),
                                                g_object_ref (call->cancellable),
                                                g_object_unref);
  call->timeout_s = timeout_s;
  if (timeout_s > 0)
    call->timeout_id = g_timeout_add_seconds (timeout_s, on_call_timeout, call);
  ucwa_request_send (client->session, message, call->cancellable, on_call_done, call);
}

void
ucwa_client_call (UcwaClient       *client,
                  const char       *method,
                  const char       *href,
                  const char       *content_type,
                  GBytes           *body,
                  UcwaResponseFunc  callback,
                  gpointer          user_data,
                  GDestroyNotify    destroy)
{
  ucwa_client_call_full (client, method, href, content_type, body, client->request_timeout_s,
                         callback, user_data, destroy);
}

void
ucwa_client_post_json (UcwaClient       *client,
                       const char       *href,
                       JsonNode         *body,
                       UcwaResponseFunc  callback,
                       gpointer          user_data,
                       GDestroyNotify    destroy)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
    }
  ucwa_client_call (client, "POST", href, "application/json", bytes,
                    callback, user_data, destroy);
}

/* ---- failure and shutdown -------------------------------------------- */

/* Operations first: their callbacks may still look at the messaging
 * state, which goes next. */
static void
stop_activity (UcwaClient *client)
{
  g_clear_handle_id (&client->keepalive_id, g_source_remove);
  g_cancellable_cancel (client->cancellable);
  ucwa_operations_cancel_all (client->operations);
  g_clear_pointer (&client->events, ucwa_event_channel_free);
  g_clear_pointer (&client->messaging, ucwa_messaging_free);
  g_clear_pointer (&client->people, ucwa_people_free);
}

void
ucwa_client_fail (UcwaClient   *client,
                  const GError *error)
{
  g_autoptr(GPtrArray) queued = NULL;

  if (!ucwa_client_is_live (client))
    return;

  g_debug ("client %s failed: %s", client->address, error->message);
  ucwa_client_ref (client);
  client->state = UCWA_CLIENT_CLOSED;

  /* Every text still on its way is reported before the disconnection,
   * oldest first; a listener may shut the client down at any point. */
  if (client->messaging != NULL)
    queued = ucwa_messaging_take_queued (client->messaging);
  g_clear_handle_id (&client->keepalive_id, g_source_remove);
  g_cancellable_cancel (client->cancellable);
  ucwa_operations_fail_all (client->operations, error);
  for (guint i = 0; queued != NULL && i < queued->len && !client->shutting_down; i++)
    {
      char **pair = queued->pdata[i];

      if (client->listener.im_failed != NULL)
        client->listener.im_failed (client, pair[0], pair[1], error, client->listener_data);
    }
  /* A listener that shut the client down has stopped it already (and its
   * last request, the DELETE, must not be cancelled). */
  if (!client->shutting_down)
    {
      stop_activity (client);
      if (client->listener.disconnected != NULL)
        client->listener.disconnected (client, error, client->listener_data);
    }
  ucwa_client_unref (client);
}

typedef struct {
  UcwaClient *client;
  guint       timeout_id;
} UcwaDeletion;

static void
on_application_deleted (UcwaResponse *response,
                        const GError *error,
                        gpointer      user_data)
{
  UcwaDeletion *deletion = user_data;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("deleting the application failed: %s", error->message);
  g_clear_handle_id (&deletion->timeout_id, g_source_remove);
  ucwa_client_unref (deletion->client);
  g_free (deletion);
}

static gboolean
on_deletion_timeout (gpointer user_data)
{
  UcwaDeletion *deletion = user_data;

  deletion->timeout_id = 0;
  g_debug ("deleting the application timed out");
  /* Cancelling makes libsoup finish the request, which frees @deletion. */
  g_cancellable_cancel (deletion->client->cancellable);
  return G_SOURCE_REMOVE;
}

void
ucwa_client_shutdown (UcwaClient *client)
{
  g_autoptr(SoupMessage) message = NULL;
  UcwaDeletion *deletion;

  g_return_if_fail (client != NULL);

  client->shutting_down = TRUE;
  memset (&client->listener, 0, sizeof client->listener);
  stop_activity (client);

  if (client->application_url != NULL && client->token != NULL)
    message = ucwa_request_new ("DELETE", client->application_url, client->token, NULL);
  if (message == NULL)
    {
      ucwa_client_unref (client);
      return;
    }

  /* The last request gets a fresh cancellable: the old one is spent. */
  g_clear_object (&client->cancellable);
  client->cancellable = g_cancellable_new ();
  deletion = g_new0 (UcwaDeletion, 1);
  deletion->client = client; /* takes over the caller's reference */
  deletion->timeout_id = g_timeout_add_seconds (SHUTDOWN_DELETE_TIMEOUT_S,
                                                on_deletion_timeout, deletion);
  ucwa_request_send (client->session, message, client->cancellable,
                     on_application_deleted, deletion);
}

/* ---- dispatch --------------------------------------------------------- */

void
ucwa_client_handle_answer (UcwaClient *client,
                           JsonNode   *answer)
{
  static GArray *table = NULL;
  UcwaDispatchStats stats = { 0 };
  g_autoptr(GError) error = NULL;

  /* One table for the whole client, built once from each part's rows. */
  if (g_once_init_enter (&table))
    {
      const UcwaDispatchRow *parts[] = { ucwa_messaging_rows, ucwa_people_rows };
      GArray *rows = g_array_new (FALSE, TRUE, sizeof (UcwaDispatchRow));
      const UcwaDispatchRow end = { 0 };

      for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
        for (const UcwaDispatchRow *row = parts[i]; row->handler != NULL; row++)
          g_array_append_vals (rows, row, 1);
      g_array_append_vals (rows, &end, 1);
      g_once_init_leave (&table, rows);
    }

  ucwa_client_ref (client);
  if (!ucwa_dispatch_answer ((const UcwaDispatchRow *) table->data, answer, client,
                             &stats, &error))
    g_message ("unusable event-channel answer: %s", error->message);
  else
    g_debug ("events: %u handled, %u ignored, %u malformed",
             stats.handled, stats.ignored, stats.malformed);
  ucwa_client_unref (client);
}

void
ucwa_client_refresh (UcwaClient *client,
                     gboolean    state_lost)
{
  if (state_lost && client->messaging != NULL)
    ucwa_messaging_forget_all (client->messaging);
  if (ucwa_client_is_live (client) && client->people != NULL)
    ucwa_people_fetch (client->people);
}

/* ---- conversations ----------------------------------------------------- */

void
ucwa_client_send_im (UcwaClient *client,
                     const char *peer,
                     const char *text)
{
  g_return_if_fail (client != NULL);
  g_return_if_fail (peer != NULL && text != NULL);

  if (client->messaging == NULL || !ucwa_client_is_live (client))
    {
      g_autoptr(GError) error = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                             _("Not signed in"));
      if (client->listener.im_failed != NULL)
        client->listener.im_failed (client, peer, text, error, client->listener_data);
      return;
    }
  ucwa_messaging_send (client->messaging, peer, text);
}

void
ucwa_client_set_typing (UcwaClient *client,
                        const char *peer,
                        gboolean    typing)
{
  g_return_if_fail (client != NULL && peer != NULL);

  if (client->messaging != NULL)
    ucwa_messaging_set_typing (client->messaging, peer, typing);
}

void
ucwa_client_close_conversation (UcwaClient *client,
                                const char *peer)
{
  g_return_if_fail (client != NULL && peer != NULL);

  if (client->messaging != NULL)
    ucwa_messaging_close (client->messaging, peer);
}

gboolean
ucwa_check_server_url (const char  *url,
                       GError     **error)
{
  if (url == NULL || *url == '\0')
    return TRUE;
  if (!ucwa_url_is_acceptable (url))
    {
      g_set_error (error, UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS,
                   _("The server URL %s must start with https:// "
                     "(plain http:// is accepted only for this machine)"), url);
      return FALSE;
    }
  return TRUE;
}
