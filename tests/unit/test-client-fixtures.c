/* test-client-fixtures.c: every reference event sample through the real
 * client's dispatch table and handlers.
 *
 * The samples do not form a scenario (links point at resources no sample
 * adds), which is what makes them a good test of the handlers: each must
 * take what it understands, drop what it does not, and never crash, leak
 * or emit a critical (the suite runs with G_DEBUG=fatal-criticals).  The
 * client is wired as if signed in; what its handlers send (an accept, a
 * GET) goes to a proxy on a closed loopback port, so it fails at once and
 * nothing leaves the machine.
 */
#include <gio/gio.h>

#include "ucwa-client-private.h"

typedef struct {
  guint received;
  guint calls;
} Seen;

static void
on_received (UcwaClient *client, const char *peer, const char *name, const char *text,
             gint64 timestamp, gpointer user_data)
{
  Seen *seen = user_data;

  /* Whatever the sample held, what reaches the front end is valid text. */
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (peer);
  seen->received++;
  seen->calls++;
}

static void
on_any_peer (UcwaClient *client, const char *peer, gboolean flag, gpointer user_data)
{
  g_assert_nonnull (peer);
  ((Seen *) user_data)->calls++;
}

static void
on_ended (UcwaClient *client, const char *peer, gpointer user_data)
{
  g_assert_nonnull (peer);
  ((Seen *) user_data)->calls++;
}

static void
on_disconnected (UcwaClient *client, const GError *error, gpointer user_data)
{
  g_error ("a sample ended the client: %s", error->message);
}

static const UcwaListener listener = {
  .disconnected = on_disconnected,
  .im_received = on_received,
  .typing_changed = on_any_peer,
  .conversation_ended = on_ended,
};

/* A client in the state sign-in leaves it in, without a server. */
static UcwaClient *
connected_client (Seen *seen)
{
  UcwaClientConfig config = { .address = "tosh@contoso.com", .password = "x" };
  UcwaClient *client = ucwa_client_new (&config, &listener, seen);
  g_autoptr(GProxyResolver) proxy = g_simple_proxy_resolver_new ("http://127.0.0.1:1", NULL);
  g_autoptr(JsonNode) application = json_from_string (
      "{\"_links\":{\"self\":{\"href\":\"/ucwa/oauth/v1/applications/102\"}},"
      "\"_embedded\":{\"communication\":{\"_links\":{\"startMessaging\":"
      "{\"href\":\"/ucwa/oauth/v1/applications/102/communication/messagingInvitations\"}}},"
      "\"people\":{\"_links\":{}}}}", NULL);

  g_object_set (client->session, "proxy-resolver", proxy, NULL);
  client->state = UCWA_CLIENT_CONNECTED;
  client->applications_url = g_strdup ("https://lyncweb.contoso.com/ucwa/oauth/v1/applications");
  client->application_url = g_strdup ("https://lyncweb.contoso.com/ucwa/oauth/v1/applications/102");
  client->token = g_strdup ("cwt=test");
  client->application = json_object_ref (json_node_get_object (application));
  client->messaging = ucwa_messaging_new (client);
  client->people = ucwa_people_new (client);
  return client;
}

static GPtrArray *
event_files (void)
{
  const char *root = g_getenv ("UCWA_FIXTURES_DIR");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (root);
  dir_path = g_build_filename (root, "events", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return files;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Lets the handlers' requests fail against the closed proxy. */
static void
settle (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

static void
test_every_sample_through_the_client (void)
{
  g_autoptr(GPtrArray) files = event_files ();
  Seen seen = { 0 };
  UcwaClient *client = connected_client (&seen);

  g_assert_cmpuint (files->len, >=, 130);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_file (parser, files->pdata[i], &error);
      g_assert_no_error (error);
      ucwa_client_handle_answer (client, json_parser_get_root (parser));
      g_assert_true (ucwa_client_is_live (client));
    }

  /* The ReceiveAnIM samples carry an incoming invitation with a message. */
  g_assert_cmpuint (seen.received, >=, 1);
  settle (300);
  g_assert_true (ucwa_client_is_live (client));

  ucwa_client_shutdown (client);
  settle (300);
  g_test_message ("%u files, %u listener calls, %u messages", files->len, seen.calls,
                  seen.received);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client-fixtures/every-sample", test_every_sample_through_the_client);
  return g_test_run ();
}
