/* plugin.c: the plugin and protocol descriptions, account options, status
 * types and the buddy-list icon; load and unload. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ucwa-purple.h"

static const char *
ucwa_purple_list_icon (PurpleAccount *account, PurpleBuddy *buddy)
{
  return "ucwa";
}

static GList *
ucwa_purple_status_types (PurpleAccount *account)
{
  GList *types = NULL;

  /* NULL names let libpurple use its own translated primitive names. */
  types = g_list_append (types,
      purple_status_type_new_full (PURPLE_STATUS_AVAILABLE,
                                   UCWA_PURPLE_STATUS_AVAILABLE, NULL,
                                   TRUE, TRUE, FALSE));
  /* Contacts can be away; setting our own presence is not supported yet. */
  types = g_list_append (types,
      purple_status_type_new_full (PURPLE_STATUS_AWAY,
                                   UCWA_PURPLE_STATUS_AWAY, NULL,
                                   FALSE, FALSE, FALSE));
  types = g_list_append (types,
      purple_status_type_new_full (PURPLE_STATUS_OFFLINE,
                                   UCWA_PURPLE_STATUS_OFFLINE, NULL,
                                   TRUE, TRUE, FALSE));
  return types;
}

static gboolean
ucwa_purple_load (PurplePlugin *plugin)
{
  ucwa_purple_log_bridge_install ();
  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY, "plugin loaded (%s)\n",
                     PACKAGE_VERSION);
  return TRUE;
}

static gboolean
ucwa_purple_unload (PurplePlugin *plugin)
{
  ucwa_purple_log_bridge_remove ();
  return TRUE;
}

static PurplePluginProtocolInfo ucwa_purple_protocol_info = {
  .icon_spec = NO_BUDDY_ICONS,
  .list_icon = ucwa_purple_list_icon,
  .status_types = ucwa_purple_status_types,
  .login = ucwa_purple_login,
  .close = ucwa_purple_close,
  .send_im = ucwa_purple_send_im,
  .send_typing = ucwa_purple_send_typing,
  .add_buddy = ucwa_purple_add_buddy,
  .remove_buddy = ucwa_purple_remove_buddy,
  .convo_closed = ucwa_purple_convo_closed,
  .struct_size = sizeof (PurplePluginProtocolInfo),
};

static PurplePluginInfo ucwa_purple_plugin_info = {
  .magic = PURPLE_PLUGIN_MAGIC,
  .major_version = PURPLE_MAJOR_VERSION,
  .minor_version = PURPLE_MINOR_VERSION,
  .type = PURPLE_PLUGIN_PROTOCOL,
  .priority = PURPLE_PRIORITY_DEFAULT,
  .id = UCWA_PURPLE_PROTOCOL_ID,
  .name = "Skype for Business (UCWA)",
  .version = PACKAGE_VERSION,
  .author = "purple-ucwa developers",
  .load = ucwa_purple_load,
  .unload = ucwa_purple_unload,
  .extra_info = &ucwa_purple_protocol_info,
};

static void
ucwa_purple_init (PurplePlugin *plugin)
{
  PurpleAccountOption *option;

  /* The option labels below are translated now, at probe time, so the text
   * domain must be bound before load. */
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  ucwa_purple_plugin_info.summary =
      _("Skype for Business and Lync protocol (UCWA 2.0)");
  ucwa_purple_plugin_info.description =
      _("Signs in to a Skype for Business or Lync server through its web "
        "API (UCWA 2.0) for instant messages, typing notifications and "
        "contacts.");

  option = purple_account_option_string_new (
      _("Autodiscovery URL (empty: derive from the address)"),
      UCWA_PURPLE_SETTING_SERVER, "");
  ucwa_purple_protocol_info.protocol_options =
      g_list_append (ucwa_purple_protocol_info.protocol_options, option);
}

PURPLE_INIT_PLUGIN (ucwa, ucwa_purple_init, ucwa_purple_plugin_info)
