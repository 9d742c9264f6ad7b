/* test-resource.c: links, embedded resources, hrefs, addresses, dates. */
#include "ucwa-resource.h"

#define BASE "https://lyncweb.contoso.com/ucwa/oauth/v1/applications"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_strings (void)
{
  g_autoptr(JsonNode) node = parse ("{\"name\":\"Lene\",\"n\":3,\"o\":{},\"z\":null}");
  JsonObject *o = json_node_get_object (node);

  g_assert_cmpstr (ucwa_resource_get_string (o, "name"), ==, "Lene");
  g_assert_null (ucwa_resource_get_string (o, "n"));
  g_assert_null (ucwa_resource_get_string (o, "o"));
  g_assert_null (ucwa_resource_get_string (o, "z"));
  g_assert_null (ucwa_resource_get_string (o, "missing"));
  g_assert_null (ucwa_resource_get_string (NULL, "name"));
}

static void
test_links (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"_links\":{\"self\":{\"href\":\"/a\"},"
    "\"participant\":{\"href\":\"/p\",\"title\":\"Lene Aaling\"},"
    "\"failedDeliveryParticipant\":[{\"href\":\"/f1\"},7,{\"href\":\"/f2\",\"title\":\"B\"}],"
    "\"batch\":{},\"bad\":\"x\",\"numeric\":{\"href\":5}}}");
  g_autoptr(JsonNode) no_links = parse ("{\"_links\":[{\"self\":{\"href\":\"/a\"}}]}");
  JsonObject *o = json_node_get_object (node);
  GList *list;

  g_assert_cmpstr (ucwa_resource_get_link (o, "self"), ==, "/a");
  g_assert_null (ucwa_resource_get_link_title (o, "self"));
  g_assert_cmpstr (ucwa_resource_get_link (o, "participant"), ==, "/p");
  g_assert_cmpstr (ucwa_resource_get_link_title (o, "participant"), ==, "Lene Aaling");
  g_assert_cmpstr (ucwa_resource_get_link (o, "failedDeliveryParticipant"), ==, "/f1");
  g_assert_null (ucwa_resource_get_link (o, "batch"));
  g_assert_null (ucwa_resource_get_link (o, "bad"));
  g_assert_null (ucwa_resource_get_link (o, "numeric"));
  g_assert_null (ucwa_resource_get_link (o, "missing"));
  g_assert_null (ucwa_resource_get_link (NULL, "self"));
  g_assert_null (ucwa_resource_get_link (json_node_get_object (no_links), "self"));

  list = ucwa_resource_get_link_list (o, "failedDeliveryParticipant");
  g_assert_cmpuint (g_list_length (list), ==, 2);
  g_assert_cmpstr (ucwa_resource_get_string (list->next->data, "title"), ==, "B");
  g_list_free (list);

  list = ucwa_resource_get_link_list (o, "self");
  g_assert_cmpuint (g_list_length (list), ==, 1);
  g_list_free (list);
  g_assert_null (ucwa_resource_get_link_list (o, "missing"));
}

static void
test_embedded (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"_embedded\":{\"me\":{\"name\":\"Lene\"},"
    "\"contact\":[{\"name\":\"A\"},{\"name\":\"B\"},\"junk\"],"
    "\"empty\":[],\"text\":\"x\"}}");
  JsonObject *o = json_node_get_object (node);
  GList *list;

  g_assert_cmpstr (ucwa_resource_get_string (ucwa_resource_get_embedded (o, "me"), "name"), ==, "Lene");
  g_assert_cmpstr (ucwa_resource_get_string (ucwa_resource_get_embedded (o, "contact"), "name"), ==, "A");
  g_assert_null (ucwa_resource_get_embedded (o, "empty"));
  g_assert_null (ucwa_resource_get_embedded (o, "text"));
  g_assert_null (ucwa_resource_get_embedded (o, "missing"));

  list = ucwa_resource_get_embedded_list (o, "contact");
  g_assert_cmpuint (g_list_length (list), ==, 2);
  g_assert_cmpstr (ucwa_resource_get_string (list->data, "name"), ==, "A");
  g_assert_cmpstr (ucwa_resource_get_string (list->next->data, "name"), ==, "B");
  g_list_free (list);

  list = ucwa_resource_get_embedded_list (o, "me");
  g_assert_cmpuint (g_list_length (list), ==, 1);
  g_list_free (list);
  g_assert_null (ucwa_resource_get_embedded_list (o, "empty"));
  g_assert_null (ucwa_resource_get_embedded_list (NULL, "me"));
}

static void
check_resolve (const char *base,
               const char *href,
               const char *expected)
{
  g_autofree char *resolved = ucwa_resource_resolve (base, href);

  g_test_message ("resolving %s against %s", href, base);
  g_assert_cmpstr (resolved, ==, expected);
}

static void
test_resolve (void)
{
  check_resolve (BASE, "/ucwa/oauth/v1/applications/105/events?ack=1",
                 "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/105/events?ack=1");
  /* Server ids keep every byte: `+ / =` in a query, `@` in a path, escapes. */
  check_resolve (BASE, "/ucwa/oauth/v1/applications/105/people/contacts?groupId=Etah0+Kd/BsY=",
                 "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/105/people/contacts?groupId=Etah0+Kd/BsY=");
  check_resolve (BASE, "/ucwa/oauth/v1/applications/105/communication/conversations/21a1/participants/lenea@contoso.com",
                 "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/105/communication/conversations/21a1/participants/lenea@contoso.com");
  check_resolve (BASE, "/ucwa/x?conversation=21a1&filter=active%2Bmore",
                 "https://lyncweb.contoso.com/ucwa/x?conversation=21a1&filter=active%2Bmore");
  check_resolve (BASE, "/ucwa/oauth/v1/applications/104/communication/onlineMeetingInvitations?onlineMeetingUri=adhoc",
                 "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/104/communication/onlineMeetingInvitations?onlineMeetingUri=adhoc");
  /* A relative path resolves against the base path, RFC 3986 style. */
  check_resolve (BASE "/105/", "events?ack=2",
                 "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/105/events?ack=2");
  /* Absolute hrefs, other hosts and ports included, stay as they are. */
  check_resolve (BASE, "https://fe1.contoso.com:4443/ucwa/v1/applications/8/me",
                 "https://fe1.contoso.com:4443/ucwa/v1/applications/8/me");
  check_resolve ("http://127.0.0.1:8080/ucwa/oauth/v1/applications", "/ucwa/a",
                 "http://127.0.0.1:8080/ucwa/a");
  /* Sloppy hrefs are used as they are rather than refused. */
  check_resolve (BASE, " /ucwa/a\n", "https://lyncweb.contoso.com/ucwa/a");
  check_resolve (BASE, "/ucwa/a%zz?b=%", "https://lyncweb.contoso.com/ucwa/a%zz?b=%");
  check_resolve (BASE, "/ucwa/caf\xc3\xa9", "https://lyncweb.contoso.com/ucwa/caf%C3%A9");
  /* The reference's stray space is encoded, not fatal. */
  check_resolve (BASE, "/ucwa/x ? onlineMeetingUri=adhoc",
                 "https://lyncweb.contoso.com/ucwa/x%20?%20onlineMeetingUri=adhoc");

  /* Not hrefs, or nothing to resolve against. */
  check_resolve (BASE, "data:text/plain;charset=utf-8,Hi+Tosh%0d%0a", NULL);
  check_resolve (BASE, "sip:lenea@contoso.com", NULL);
  check_resolve (BASE, "", NULL);
  check_resolve (BASE, NULL, NULL);
  check_resolve (NULL, "/ucwa/a", NULL);
  check_resolve ("/ucwa/relative", "/ucwa/a", NULL);
  check_resolve ("ftp://host/x", "/ucwa/a", NULL);
}

static void
test_href_compare (void)
{
  const char *a = "/ucwa/oauth/v1/applications/105/people/sarad@contoso.com";
  const char *b = "/ucwa/oauth/v1/applications/105/people/saraD@contoso.com";
  const char *c = "/ucwa/oauth/v1/applications/105/people/lenea@contoso.com";

  g_assert_true (ucwa_href_equal (a, b));
  g_assert_cmpuint (ucwa_href_hash (a), ==, ucwa_href_hash (b));
  g_assert_false (ucwa_href_equal (a, c));
  g_assert_cmpuint (ucwa_href_hash (a), !=, ucwa_href_hash (c));
  g_assert_true (ucwa_href_equal (NULL, NULL));
  g_assert_false (ucwa_href_equal (a, NULL));
  g_assert_false (ucwa_href_equal (NULL, a));

  {
    g_autoptr(GHashTable) table = g_hash_table_new (ucwa_href_hash, (GEqualFunc) ucwa_href_equal);

    g_hash_table_insert (table, (gpointer) a, (gpointer) "found");
    g_assert_cmpstr (g_hash_table_lookup (table, b), ==, "found");
    g_assert_null (g_hash_table_lookup (table, c));
  }
}

static void
test_addresses (void)
{
  g_autofree char *a1 = ucwa_uri_to_address ("sip:Bob@Example.test");
  g_autofree char *a2 = ucwa_uri_to_address ("SIP:lenea@contoso.com");
  g_autofree char *a3 = ucwa_uri_to_address ("Already@Plain.test");
  g_autofree char *u1 = ucwa_address_to_uri ("Bob@Example.test");
  g_autofree char *u2 = ucwa_address_to_uri ("sip:bob@example.test");

  g_assert_cmpstr (a1, ==, "bob@example.test");
  g_assert_cmpstr (a2, ==, "lenea@contoso.com");
  g_assert_cmpstr (a3, ==, "already@plain.test");
  g_assert_cmpstr (u1, ==, "sip:bob@example.test");
  g_assert_cmpstr (u2, ==, "sip:bob@example.test");
  g_assert_null (ucwa_uri_to_address (NULL));
  g_assert_null (ucwa_address_to_uri (NULL));
}

static void
test_dates (void)
{
  g_assert_cmpint (ucwa_parse_date ("/Date(1364327898968)/"), ==, G_GINT64_CONSTANT (1364327898));
  g_assert_cmpint (ucwa_parse_date ("\\/Date(1383784870271)\\/"), ==, G_GINT64_CONSTANT (1383784870));
  g_assert_cmpint (ucwa_parse_date ("/Date(1364327898968+0100)/"), ==, G_GINT64_CONSTANT (1364327898));
  g_assert_cmpint (ucwa_parse_date ("/Date(0)/"), ==, 0);
  g_assert_cmpint (ucwa_parse_date ("/Date()/"), ==, 0);
  g_assert_cmpint (ucwa_parse_date ("/Date(abc)/"), ==, 0);
  g_assert_cmpint (ucwa_parse_date ("/Date(123"), ==, 0);
  g_assert_cmpint (ucwa_parse_date ("2013-03-26T19:58:18Z"), ==, 0);
  g_assert_cmpint (ucwa_parse_date (""), ==, 0);
  g_assert_cmpint (ucwa_parse_date (NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/resource/strings", test_strings);
  g_test_add_func ("/resource/links", test_links);
  g_test_add_func ("/resource/embedded", test_embedded);
  g_test_add_func ("/resource/resolve", test_resolve);
  g_test_add_func ("/resource/href-compare", test_href_compare);
  g_test_add_func ("/resource/addresses", test_addresses);
  g_test_add_func ("/resource/dates", test_dates);

  return g_test_run ();
}
