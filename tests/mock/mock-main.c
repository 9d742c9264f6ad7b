/* mock-main.c: options, the listening line, and a clean exit on signals. */
#include "mock.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
quit_on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_encoding (const char *name, MockMessageEncoding *out)
{
  if (g_strcmp0 (name, "percent") == 0)
    *out = MOCK_ENCODING_PERCENT;
  else if (g_strcmp0 (name, "base64") == 0)
    *out = MOCK_ENCODING_BASE64;
  else if (g_strcmp0 (name, "alternate") == 0)
    *out = MOCK_ENCODING_ALTERNATE;
  else
    return FALSE;
  return TRUE;
}

int
main (int argc, char **argv)
{
  gint port = 0, pget_timeout = 180, invitation_timeout = 30, typing_timeout = 5;
  gboolean events_before_201 = FALSE, repeat_first = FALSE, verbose = FALSE;
  g_autofree char *encoding = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 picks a free one)", "PORT" },
    { "events-before-201", 0, 0, G_OPTION_ARG_NONE, &events_before_201,
      "Release an operation's events before answering its POST", NULL },
    { "pget-timeout", 0, 0, G_OPTION_ARG_INT, &pget_timeout,
      "Longest empty wait of an event channel request (default 180)", "SECONDS" },
    { "invitation-timeout", 0, 0, G_OPTION_ARG_INT, &invitation_timeout,
      "Unanswered invitations fail after this (default 30)", "SECONDS" },
    { "typing-timeout", 0, 0, G_OPTION_ARG_INT, &typing_timeout,
      "Typing ends this long after the last setIsTyping (default 5)", "SECONDS" },
    { "repeat-first-message", 0, 0, G_OPTION_ARG_NONE, &repeat_first,
      "After accept, deliver the invitation's message again as a message", NULL },
    { "message-encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      "Data URIs: percent, base64 or alternate (default)", "ENCODING" },
    { "verbose", 0, 0, G_OPTION_ARG_NONE, &verbose, "Log requests to stderr", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- a mock UCWA 2.0 server");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ucwa-mock-server: %s\n", error->message);
      return 2;
    }

  MockOptions opts = { 0 };
  opts.encoding = MOCK_ENCODING_ALTERNATE;
  if (port < 0 || port > 65535 || pget_timeout < 1 || invitation_timeout < 1
      || typing_timeout < 1 || (encoding && !parse_encoding (encoding, &opts.encoding)))
    {
      g_printerr ("ucwa-mock-server: invalid option value\n");
      return 2;
    }
  opts.port = (guint) port;
  opts.events_before_201 = events_before_201;
  opts.repeat_first_message = repeat_first;
  opts.verbose = verbose;
  opts.pget_timeout = (guint) pget_timeout;
  opts.invitation_timeout = (guint) invitation_timeout;
  opts.typing_timeout = (guint) typing_timeout;

  MockServer *server = mock_server_new (&opts, &error);
  if (!server)
    {
      g_printerr ("ucwa-mock-server: cannot listen: %s\n", error->message);
      return 1;
    }
  /* Signals are caught before anyone learns where we listen, so that a
   * SIGTERM right after start still ends us cleanly. */
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, quit_on_signal, loop);
  guint sigterm = g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  printf ("ucwa-mock-server listening on %s/\n", server->base_url);
  fflush (stdout);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  mock_server_free (server);
  /* Let sources released by the teardown run down. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_main_loop_unref (loop);
  return EXIT_SUCCESS;
}
