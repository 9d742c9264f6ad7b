/* mock-application.c: applications, me and people.
 *
 * Shapes follow CreateAnApplication.md, application_ref.md, me_ref.md,
 * makeMeAvailable_ref.md, reportMyActivity_ref.md, myContacts_ref.md,
 * contact_ref.md and contactPresence_ref.md.
 */
#include "mock.h"

#include <stdarg.h>
#include <string.h>

char *
mock_app_href (MockApp *app, const char *suffix_format, ...)
{
  va_list args;
  va_start (args, suffix_format);
  g_autofree char *suffix = g_strdup_vprintf (suffix_format, args);
  va_end (args);
  return g_strconcat (MOCK_UCWA_PREFIX "/", app->id, suffix, NULL);
}

void
mock_app_free (MockApp *app)
{
  if (!app)
    return;
  mock_events_clear (app);
  g_hash_table_destroy (app->views);
  g_hash_table_destroy (app->invitations);
  g_free (app->id);
  g_free (app->endpoint_id);
  g_free (app->user_agent);
  g_free (app->culture);
  g_free (app->put_property);
  g_free (app);
}

/* DELETE of the application: end its conversations (the peers see the
 * teardown), answer its waiting requests, forget it. */
void
mock_app_destroy (MockApp *app)
{
  mock_session_detach_app (app);
  mock_events_answer_all (app);
  g_hash_table_remove (app->server->apps, app->id);
}

static JsonObject *
me_resource (MockApp *app)
{
  g_autofree char *self = mock_app_href (app, "/me");
  JsonObject *me = mock_resource_new ("me", self);
  json_object_set_string_member (me, "name", app->user->name);
  g_autofree char *uri = g_strconcat ("sip:", app->user->address, NULL);
  json_object_set_string_member (me, "uri", uri);
  json_object_set_array_member (me, "emailAddresses", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (me, "emailAddresses"),
                                 app->user->address);
  g_autofree char *photo = mock_app_href (app, "/photos/%s", app->user->address);
  if (app->available)
    {
      g_autofree char *presence = mock_app_href (app, "/me/presence");
      g_autofree char *note = mock_app_href (app, "/me/note");
      g_autofree char *location = mock_app_href (app, "/me/location");
      g_autofree char *report = mock_app_href (app, "/me/reportMyActivity");
      mock_add_link (me, "presence", presence);
      mock_add_link (me, "note", note);
      mock_add_link (me, "location", location);
      mock_add_link (me, "reportMyActivity", report);
    }
  else
    {
      g_autofree char *mma = mock_app_href (app, "/me/makeMeAvailable");
      mock_add_link (me, "makeMeAvailable", mma);
    }
  mock_add_link (me, "photo", photo);
  return me;
}

static JsonObject *
people_resource (MockApp *app)
{
  static const char *const rels[][2] = {
    { "myContacts", "/people/contacts" },
    { "myGroups", "/people/groups" },
    { "presenceSubscriptions", "/people/presenceSubscriptions" },
    { "subscribedContacts", "/people/subscribedContacts" },
    { "search", "/people/search" },
  };
  g_autofree char *self = mock_app_href (app, "/people");
  JsonObject *people = mock_resource_new ("people", self);
  for (gsize i = 0; i < G_N_ELEMENTS (rels); i++)
    {
      g_autofree char *href = mock_app_href (app, "%s", rels[i][1]);
      mock_add_link (people, rels[i][0], href);
    }
  return people;
}

JsonObject *
mock_app_communication (MockApp *app)
{
  g_autofree char *self = mock_app_href (app, "/communication");
  JsonObject *comm = mock_resource_new ("communication", self);
  json_object_set_string_member (comm, app->put_property, "please pass this in a PUT request");
  JsonArray *modalities = json_array_new ();
  if (app->available)
    json_array_add_string_element (modalities, "Messaging");
  json_object_set_array_member (comm, "supportedModalities", modalities);
  JsonArray *formats = json_array_new ();
  json_array_add_string_element (formats, "Plain");
  json_object_set_array_member (comm, "supportedMessageFormats", formats);
  json_object_set_string_member (comm, "etag", app->available ? "1925102412" : "3140562359");
  g_autofree char *conversations = mock_app_href (app, "/communication/conversations?filter=active");
  g_autofree char *start = mock_app_href (app, "/communication/messagingInvitations");
  mock_add_link (comm, "conversations", conversations);
  mock_add_link (comm, "startMessaging", start);
  return comm;
}

/* policies_ref.md: only what an IM client looks at. */
static JsonObject *
policies_resource (MockApp *app)
{
  g_autofree char *self = mock_app_href (app, "/policies");
  JsonObject *res = mock_resource_new ("policies", self);
  json_object_set_string_member (res, "htmlMessaging", "Disabled");
  json_object_set_string_member (res, "emoticons", "Enabled");
  json_object_set_string_member (res, "messagingUrls", "Enabled");
  json_object_set_string_member (res, "photos", "Enabled");
  return res;
}

/* CreateAnApplication.md: the application resource. */
static JsonObject *
application_resource (MockApp *app)
{
  g_autofree char *self = mock_app_href (app, "%s", "");
  JsonObject *res = mock_resource_new ("application", self);
  json_object_set_string_member (res, "culture", app->culture);
  json_object_set_string_member (res, "userAgent", app->user_agent);
  g_autofree char *policies = mock_app_href (app, "/policies");
  g_autofree char *events = mock_app_href (app, "/events?ack=%" G_GUINT64_FORMAT, app->ack_base);
  mock_add_link (res, "policies", policies);
  /* No `batch` link: a link is a capability, and batching is not served. */
  mock_add_link (res, "events", events);
  mock_embed (res, "me", me_resource (app));
  mock_embed (res, "people", people_resource (app));
  mock_embed (res, "communication", mock_app_communication (app));
  return res;
}

static MockApp *
find_app_by_endpoint (MockServer *server, MockUser *user, const char *endpoint_id)
{
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, server->apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      MockApp *app = value;
      if (app->user == user && g_strcmp0 (app->endpoint_id, endpoint_id) == 0)
        return app;
    }
  return NULL;
}

/* applications_ref.md: POST creates (201) or returns the existing one (200). */
static void
handle_create (MockServer *server, MockUser *user, SoupServerMessage *msg)
{
  g_autoptr (JsonObject) body = mock_parse_json_body (msg);
  const char *endpoint = mock_json_get_string_ci (body, "EndpointId");
  const char *agent = mock_json_get_string_ci (body, "UserAgent");
  const char *culture = mock_json_get_string_ci (body, "Culture");
  if (!body || !endpoint || !agent || strlen (endpoint) > 100 || strlen (agent) > 100)
    {
      mock_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                          "ParameterValidationFailure",
                          "UserAgent and EndpointId are required (at most 100 characters).");
      return;
    }
  MockApp *app = find_app_by_endpoint (server, user, endpoint);
  guint status = SOUP_STATUS_OK;
  if (!app)
    {
      app = mock_events_init (g_new0 (MockApp, 1));
      app->server = server;
      app->user = user;
      app->id = g_strdup_printf ("%u", server->next_app_id++);
      app->endpoint_id = g_strdup (endpoint);
      app->user_agent = g_strdup (agent);
      app->culture = g_strdup (culture ? culture : "en-US");
      app->put_property = mock_random_uuid ();
      app->views = g_hash_table_new (g_str_hash, g_str_equal);
      app->invitations = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (server->apps, app->id, app);
      status = SOUP_STATUS_CREATED;
    }
  g_autofree char *cookie = mock_random_token (16);
  g_autofree char *set_cookie = g_strdup_printf ("cwt_ucwa=%s; path=/ucwa/oauth/v1/applications/%s/photos",
                                                 cookie, app->id);
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "Set-Cookie", set_cookie);
  mock_respond_json (msg, status, application_resource (app));
}

/* makeMeAvailable_ref.md and the ReceiveAnIM.md trace for the burst. */
static void
handle_make_me_available (MockApp *app, SoupServerMessage *msg)
{
  gboolean was = app->available;
  app->available = TRUE;
  mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
  if (was)
    return;
  g_autofree char *me = mock_app_href (app, "/me");
  g_autofree char *presence = mock_app_href (app, "/me/presence");
  g_autofree char *note = mock_app_href (app, "/me/note");
  g_autofree char *location = mock_app_href (app, "/me/location");
  g_autofree char *comm = mock_app_href (app, "/communication");
  mock_events_push (app, "me", me, mock_event_new ("updated", "me", me, NULL));
  mock_events_push (app, "me", me, mock_event_new ("added", "presence", presence, NULL));
  mock_events_push (app, "me", me, mock_event_new ("added", "note", note, NULL));
  mock_events_push (app, "me", me, mock_event_new ("added", "location", location, NULL));
  JsonObject *ev = mock_event_new ("updated", "communication", comm, NULL);
  mock_event_embed (ev, "communication", mock_app_communication (app));
  mock_events_push (app, "communication", comm, ev);
}

static JsonObject *
contact_resource (MockApp *app, MockUser *user)
{
  g_autofree char *self = mock_app_href (app, "/people/%s", user->address);
  JsonObject *c = mock_resource_new ("contact", self);
  g_autofree char *uri = g_strconcat ("sip:", user->address, NULL);
  json_object_set_string_member (c, "uri", uri);
  json_object_set_string_member (c, "name", user->name);
  json_object_set_string_member (c, "type", "User");
  json_object_set_string_member (c, "sourceNetwork", "SameEnterprise");
  JsonArray *emails = json_array_new ();
  json_array_add_string_element (emails, user->address);
  json_object_set_array_member (c, "emailAddresses", emails);
  g_autofree char *presence = mock_app_href (app, "/people/%s/presence", user->address);
  g_autofree char *note = mock_app_href (app, "/people/%s/note", user->address);
  g_autofree char *photo = mock_app_href (app, "/photos/%s", user->address);
  mock_add_link (c, "contactPresence", presence);
  mock_add_link (c, "contactNote", note);
  mock_add_link (c, "contactPhoto", photo);
  return c;
}

/* myContacts_ref.md */
static JsonObject *
contacts_resource (MockApp *app)
{
  g_autofree char *self = mock_app_href (app, "/people/contacts");
  JsonObject *res = mock_resource_new ("myContacts", self);
  JsonArray *list = json_array_new ();
  for (guint i = 0; i < app->user->contacts->len; i++)
    {
      MockUser *c = mock_directory_find (app->server, g_ptr_array_index (app->user->contacts, i));
      if (c)
        json_array_add_object_element (list, contact_resource (app, c));
    }
  JsonObject *embedded = json_object_new ();
  json_object_set_array_member (embedded, "contact", list);
  json_object_set_object_member (res, "_embedded", embedded);
  return res;
}

/* contactPresence_ref.md */
static JsonObject *
contact_presence (MockApp *app, MockUser *user)
{
  g_autofree char *self = mock_app_href (app, "/people/%s/presence", user->address);
  JsonObject *res = mock_resource_new ("contactPresence", self);
  gboolean online = mock_user_is_available (app->server, user);
  json_object_set_string_member (res, "availability", online ? "Online" : "Offline");
  json_object_set_string_member (res, "activity", online ? "Available" : "Offline");
  json_object_set_string_member (res, "deviceType", "PC");
  if (online)
    {
      g_autofree char *date = mock_date_now ();
      json_object_set_string_member (res, "lastActive", date);
    }
  return res;
}

/* people/<address>[/presence|/note] */
static void
handle_person (MockApp *app, SoupServerMessage *msg, const char *rest)
{
  g_auto (GStrv) parts = g_strsplit (rest, "/", 2);
  MockUser *user = mock_directory_find (app->server, parts[0]);
  if (!user)
    {
      mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                          "No such person.");
      return;
    }
  if (!parts[1])
    mock_respond_json (msg, SOUP_STATUS_OK, contact_resource (app, user));
  else if (g_strcmp0 (parts[1], "presence") == 0)
    mock_respond_json (msg, SOUP_STATUS_OK, contact_presence (app, user));
  else if (g_strcmp0 (parts[1], "note") == 0)
    {
      g_autofree char *self = mock_app_href (app, "/people/%s/note", user->address);
      JsonObject *note = mock_resource_new ("contactNote", self);
      json_object_set_string_member (note, "message", "");
      json_object_set_string_member (note, "type", "Personal");
      mock_respond_json (msg, SOUP_STATUS_OK, note);
    }
  else
    mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                        "The resource does not exist.");
}

/* presence_ref.md, note_ref.md, location_ref.md: read-only for now. */
static void
handle_own_state (MockApp *app, SoupServerMessage *msg, const char *what)
{
  g_autofree char *self = mock_app_href (app, "/me/%s", what);
  JsonObject *res = mock_resource_new (what, self);
  if (g_strcmp0 (what, "presence") == 0)
    {
      json_object_set_string_member (res, "availability", "Online");
      json_object_set_string_member (res, "activity", "Available");
    }
  else if (g_strcmp0 (what, "note") == 0)
    {
      json_object_set_string_member (res, "message", "");
      json_object_set_string_member (res, "type", "Personal");
    }
  else
    json_object_set_string_member (res, "location", "");
  mock_respond_json (msg, SOUP_STATUS_OK, res);
}

static gboolean
method_is (SoupServerMessage *msg, const char *method)
{
  return g_strcmp0 (soup_server_message_get_method (msg), method) == 0;
}

static void
respond_method_not_allowed (SoupServerMessage *msg)
{
  mock_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", "MethodNotAllowed",
                      "The method is not allowed on this resource.");
}

static void
respond_not_found (SoupServerMessage *msg)
{
  mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                      "The resource does not exist.");
}

/* Expects @method; answers 405 and returns FALSE otherwise. */
static gboolean
expect (SoupServerMessage *msg, const char *method)
{
  if (method_is (msg, method))
    return TRUE;
  respond_method_not_allowed (msg);
  return FALSE;
}

static void
handle_app_path (MockApp *app, SoupServerMessage *msg, const char *sub)
{
  if (*sub == '\0')
    {
      if (method_is (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, application_resource (app));
      else if (method_is (msg, "DELETE"))
        {
          mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
          mock_app_destroy (app);
        }
      else
        respond_method_not_allowed (msg);
    }
  else if (g_strcmp0 (sub, "/events") == 0)
    {
      if (expect (msg, "GET"))
        mock_events_handle_pget (app, msg);
    }
  else if (g_strcmp0 (sub, "/policies") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, policies_resource (app));
    }
  else if (g_strcmp0 (sub, "/me") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, me_resource (app));
    }
  else if (g_strcmp0 (sub, "/me/makeMeAvailable") == 0)
    {
      if (expect (msg, "POST"))
        handle_make_me_available (app, msg);
    }
  else if (g_strcmp0 (sub, "/me/reportMyActivity") == 0
           || g_strcmp0 (sub, "/me/presence") == 0
           || g_strcmp0 (sub, "/me/note") == 0
           || g_strcmp0 (sub, "/me/location") == 0)
    {
      gboolean report = g_strcmp0 (sub, "/me/reportMyActivity") == 0;
      if (!expect (msg, report ? "POST" : "GET"))
        return;
      if (!app->available)
        mock_respond_error (msg, SOUP_STATUS_CONFLICT, "Conflict", "MakeMeAvailableRequired",
                            "Call makeMeAvailable first.");
      else if (report)
        mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
      else
        handle_own_state (app, msg, sub + strlen ("/me/"));
    }
  else if (g_strcmp0 (sub, "/people") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, people_resource (app));
    }
  else if (g_strcmp0 (sub, "/people/contacts") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, contacts_resource (app));
    }
  else if (g_str_has_prefix (sub, "/people/"))
    {
      if (expect (msg, "GET"))
        handle_person (app, msg, sub + strlen ("/people/"));
    }
  else if (g_str_has_prefix (sub, "/photos/"))
    {
      if (expect (msg, "GET"))
        mock_photo_handle (app, msg, sub + strlen ("/photos/"));
    }
  else if (g_strcmp0 (sub, "/communication") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, mock_app_communication (app));
    }
  else if (g_str_has_prefix (sub, "/communication/"))
    mock_messaging_handle (app, msg, sub + strlen ("/communication"));
  else
    respond_not_found (msg);
}

void
mock_application_handle (MockServer *server, SoupServerMessage *msg, const char *path)
{
  MockUser *user = mock_auth_require (server, msg);
  if (!user)
    return;
  if (*path == '\0' || g_strcmp0 (path, "/") == 0)
    {
      if (expect (msg, "POST"))
        handle_create (server, user, msg);
      return;
    }
  const char *id_start = path + 1;
  const char *slash = strchr (id_start, '/');
  g_autofree char *id = slash ? g_strndup (id_start, slash - id_start) : g_strdup (id_start);
  MockApp *app = g_hash_table_lookup (server->apps, id);
  if (!app || app->user != user)
    {
      mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ApplicationNotFound",
                          "The application does not exist.");
      return;
    }
  handle_app_path (app, msg, slash ? slash : "");
}
