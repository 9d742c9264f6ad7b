/* ucwa-sign-in.c: from nothing to a connected client, and keeping it so.
 *
 * discover -> authenticate -> create the application (CreateAnApplication.md)
 * -> park the event channel and makeMeAvailable -> read the application
 * again for its new links -> connected, then reportMyActivity every few
 * minutes (reportMyActivity_ref.md) and the contact list once.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ucwa-client-private.h"
#include "ucwa-resource.h"

#define SIGN_IN_STEPS 5

static void
progress (UcwaClient      *client,
          UcwaClientState  state,
          const char      *text,
          guint            step)
{
  client->state = state;
  if (client->listener.progress != NULL)
    client->listener.progress (client, text, step, SIGN_IN_STEPS, client->listener_data);
}

static const char *
me_link (UcwaClient *client,
         const char *rel)
{
  JsonObject *me = ucwa_resource_get_embedded (client->application, "me");

  return me ? ucwa_resource_get_link (me, rel) : NULL;
}

static void
store_application (UcwaClient *client,
                   JsonObject *application)
{
  JsonObject *me = ucwa_resource_get_embedded (application, "me");
  const char *name = me ? ucwa_resource_get_string (me, "name") : NULL;

  g_clear_pointer (&client->application, json_object_unref);
  client->application = json_object_ref (application);
  if (name != NULL)
    {
      g_free (client->display_name);
      client->display_name = g_strdup (name);
    }
}

static gboolean
on_keepalive (gpointer user_data);

static void
on_keepalive_done (UcwaResponse *response,
                   const GError *error,
                   gpointer      user_data)
{
  UcwaClient *client = user_data;

  if (error == NULL)
    return;
  /* The application is gone for good: sign in again from the start. */
  if (g_strcmp0 (response->subcode, "ApplicationNotFound") == 0
      || response->status == SOUP_STATUS_GONE)
    {
      g_autoptr(GError) lost = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                            _("The server ended the session: %s"),
                                            error->message);
      ucwa_client_fail (client, lost);
      return;
    }
  g_debug ("reportMyActivity failed: %s", error->message);
}

static gboolean
on_keepalive (gpointer user_data)
{
  UcwaClient *client = user_data;
  const char *href = me_link (client, "reportMyActivity");

  if (href != NULL)
    ucwa_client_post_json (client, href, NULL, on_keepalive_done, client, NULL);
  return G_SOURCE_CONTINUE;
}

static void
become_connected (UcwaClient *client)
{
  client->state = UCWA_CLIENT_CONNECTED;
  client->keepalive_id = g_timeout_add (client->keepalive_interval_ms, on_keepalive, client);
  if (client->listener.connected != NULL)
    client->listener.connected (client, client->listener_data);
  if (ucwa_client_is_live (client))
    ucwa_people_fetch (client->people);
}

static void
on_application_refreshed (UcwaResponse *response,
                          const GError *error,
                          gpointer      user_data)
{
  UcwaClient *client = user_data;
  JsonObject *application = ucwa_response_get_object (response);

  /* Without the refresh we only lack the keep-alive link: not fatal. */
  if (error == NULL && application != NULL)
    store_application (client, application);
  else
    g_debug ("could not refresh the application: %s",
             error ? error->message : "no body");
  become_connected (client);
}

static void
on_made_available (UcwaResponse *response,
                   const GError *error,
                   gpointer      user_data)
{
  UcwaClient *client = user_data;
  const char *self;

  if (error != NULL)
    {
      g_autoptr(GError) failed = g_error_new (UCWA_ERROR, error->code,
                                              _("Could not go online: %s"),
                                              error->message);
      ucwa_client_fail (client, failed);
      return;
    }

  /* makeMeAvailable adds the presence and keep-alive links to `me`. */
  self = ucwa_resource_get_link (client->application, "self");
  ucwa_client_call (client, "GET", self ? self : client->application_url, NULL, NULL,
                    on_application_refreshed, client, NULL);
}

static void
make_me_available (UcwaClient *client)
{
  const char *href = me_link (client, "makeMeAvailable");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  if (href == NULL)
    {
      /* Already available (an application we re-created with 200). */
      become_connected (client);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "SupportedModalities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Messaging");
  json_builder_end_array (builder);
  /* Plain only: we render text ourselves and never pass server HTML on. */
  json_builder_set_member_name (builder, "supportedMessageFormats");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Plain");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "signInAs");
  json_builder_add_string_value (builder, "Online");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  progress (client, UCWA_CLIENT_CREATING_APPLICATION, _("Going online"), 4);
  ucwa_client_post_json (client, href, body, on_made_available, client, NULL);
}

static void
on_application_created (UcwaResponse *response,
                        const GError *error,
                        gpointer      user_data)
{
  UcwaClient *client = user_data;
  JsonObject *application = ucwa_response_get_object (response);
  const char *self, *events;

  if (error != NULL || application == NULL)
    {
      g_autoptr(GError) failed = NULL;

      /* 403: this user may not use UCWA; 410: too many applications or
       * this client refused.  Neither gets better by trying again. */
      if (error != NULL)
        failed = g_error_new (UCWA_ERROR,
                              response->status == SOUP_STATUS_FORBIDDEN
                              || response->status == SOUP_STATUS_GONE
                                ? UCWA_ERROR_SESSION_ENDED : error->code,
                              _("Could not create the application: %s"),
                              error->message);
      else
        failed = g_error_new (UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                              _("The server did not describe the new application"));
      ucwa_client_fail (client, failed);
      return;
    }

  self = ucwa_resource_get_link (application, "self");
  events = ucwa_resource_get_link (application, "events");
  if (self == NULL || events == NULL)
    {
      g_autoptr(GError) failed = g_error_new (UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                                              _("The application has no event channel"));
      ucwa_client_fail (client, failed);
      return;
    }

  client->application_url = ucwa_resource_resolve (client->applications_url, self);
  store_application (client, application);

  client->messaging = ucwa_messaging_new (client);
  client->people = ucwa_people_new (client);
  /* Park the P-GET before going online, so no event is missed. */
  client->events = ucwa_event_channel_new (client, events);
  ucwa_event_channel_start (client->events);
  make_me_available (client);
}

static void
create_application (UcwaClient *client)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "UserAgent");
  json_builder_add_string_value (builder, client->user_agent);
  json_builder_set_member_name (builder, "EndpointId");
  json_builder_add_string_value (builder, client->endpoint_id);
  json_builder_set_member_name (builder, "Culture");
  json_builder_add_string_value (builder, "en-US");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  progress (client, UCWA_CLIENT_CREATING_APPLICATION, _("Creating the application"), 3);
  ucwa_client_post_json (client, client->applications_url, body,
                         on_application_created, client, NULL);
}

static void
on_authenticated (UcwaClient   *client,
                  const GError *error)
{
  if (error != NULL)
    {
      ucwa_client_fail (client, error);
      return;
    }
  create_application (client);
}

static void
on_discovered (UcwaClient   *client,
               const char   *user_url,
               const GError *error)
{
  if (error != NULL)
    {
      ucwa_client_fail (client, error);
      return;
    }
  progress (client, UCWA_CLIENT_AUTHENTICATING, _("Signing in"), 2);
  ucwa_auth_run (client, user_url, on_authenticated);
}

void
ucwa_client_connect (UcwaClient *client)
{
  g_return_if_fail (client != NULL);
  g_return_if_fail (client->state == UCWA_CLIENT_DISCONNECTED);

  progress (client, UCWA_CLIENT_DISCOVERING, _("Looking up the server"), 1);
  ucwa_discovery_run (client, on_discovered);
}

