/* mock-directory.c: the mock's users, their passwords, tokens and contacts. */
#include "mock.h"

typedef struct {
  const char *local;
  const char *name;
  gboolean echo_bot;
  const char *contacts[4];
} MockUserSeed;

/* Passwords follow the pattern "<local part>-password". */
static const MockUserSeed seeds[] = {
  { "alice", "Alice Anders", FALSE, { "bob", "carol", "echo", NULL } },
  { "bob", "Bob Berg", FALSE, { "carol", "alice", "echo", NULL } },
  { "carol", "Carol Cruz", FALSE, { "bob", "alice", "echo", NULL } },
  { "echo", "Echo Bot", TRUE, { NULL } },
};

#define MOCK_DOMAIN "example.test"

void
mock_user_free (MockUser *user)
{
  if (!user)
    return;
  g_free (user->address);
  g_free (user->password);
  g_free (user->name);
  g_ptr_array_unref (user->contacts);
  g_free (user);
}

void
mock_directory_init (MockServer *server)
{
  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      MockUser *user = g_new0 (MockUser, 1);
      user->address = g_strdup_printf ("%s@" MOCK_DOMAIN, seeds[i].local);
      user->name = g_strdup (seeds[i].name);
      user->is_echo_bot = seeds[i].echo_bot;
      if (!user->is_echo_bot)
        user->password = g_strdup_printf ("%s-password", seeds[i].local);
      user->contacts = g_ptr_array_new_with_free_func (g_free);
      for (gsize c = 0; seeds[i].contacts[c]; c++)
        g_ptr_array_add (user->contacts,
                         g_strdup_printf ("%s@" MOCK_DOMAIN, seeds[i].contacts[c]));
      g_ptr_array_add (server->users, user);
    }
}

MockUser *
mock_directory_find (MockServer *server, const char *address)
{
  if (!address)
    return NULL;
  g_autofree char *plain = mock_address_from_sip (address);
  for (guint i = 0; i < server->users->len; i++)
    {
      MockUser *user = g_ptr_array_index (server->users, i);
      if (g_ascii_strcasecmp (user->address, plain) == 0)
        return user;
    }
  return NULL;
}

MockUser *
mock_directory_check_password (MockServer *server, const char *address,
                               const char *password)
{
  MockUser *user = mock_directory_find (server, address);
  if (!user || !user->password || !password)
    return NULL;
  return g_strcmp0 (user->password, password) == 0 ? user : NULL;
}

char *
mock_directory_issue_token (MockServer *server, MockUser *user)
{
  g_autofree char *random = mock_random_token (48);
  char *token = g_strconcat ("cwt=", random, NULL);
  g_hash_table_insert (server->tokens, g_strdup (token), user);
  return token;
}

MockUser *
mock_directory_user_for_token (MockServer *server, const char *token)
{
  if (!token)
    return NULL;
  return g_hash_table_lookup (server->tokens, token);
}

GPtrArray *
mock_user_available_apps (MockServer *server, MockUser *user)
{
  GPtrArray *apps = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, server->apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      MockApp *app = value;
      if (app->user == user && app->available)
        g_ptr_array_add (apps, app);
    }
  return apps;
}

gboolean
mock_user_is_available (MockServer *server, MockUser *user)
{
  if (user->is_echo_bot)
    return TRUE;
  g_autoptr (GPtrArray) apps = mock_user_available_apps (server, user);
  return apps->len > 0;
}
