/* test-discovery.c: which autodiscovery roots the client tries, and which
 * server URLs it accepts at all. */
#include "ucwa-client-private.h"

static void
assert_candidates (const char *address,
                   const char *configured,
                   const char *const *expected)
{
  g_autoptr(GPtrArray) candidates = ucwa_discovery_candidates (address, configured);

  g_assert_cmpuint (candidates->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < candidates->len; i++)
    g_assert_cmpstr (candidates->pdata[i], ==, expected[i]);
}

static void
test_derived_from_domain (void)
{
  const char *const contoso[] = { "https://lyncdiscoverinternal.contoso.com/",
                                  "https://lyncdiscover.contoso.com/", NULL };
  const char *const none[] = { NULL };

  assert_candidates ("lenea@contoso.com", NULL, contoso);
  assert_candidates ("lenea@contoso.com", "", contoso);
  assert_candidates ("Lene.Aaling@Contoso.COM", NULL, contoso);
  assert_candidates ("lenea", NULL, none);
  assert_candidates ("lenea@", NULL, none);
}

static void
test_configured_wins (void)
{
  const char *const configured[] = {
    "https://lyncweb.contoso.com/Autodiscover/AutodiscoverService.svc/root", NULL };

  assert_candidates ("lenea@contoso.com", configured[0], configured);
}

static void
test_acceptable_urls (void)
{
  g_assert_true (ucwa_url_is_acceptable ("https://lyncweb.contoso.com/x"));
  g_assert_true (ucwa_url_is_acceptable ("http://127.0.0.1:8080/x"));
  g_assert_true (ucwa_url_is_acceptable ("http://127.1.2.3/x"));
  g_assert_true (ucwa_url_is_acceptable ("http://[::1]:80/x"));
  g_assert_true (ucwa_url_is_acceptable ("http://localhost/x"));
  g_assert_false (ucwa_url_is_acceptable ("http://lyncweb.contoso.com/x"));
  g_assert_false (ucwa_url_is_acceptable ("http://10.0.0.1/x"));
  g_assert_false (ucwa_url_is_acceptable ("http://127.0.0.1.example.test/x"));
  g_assert_false (ucwa_url_is_acceptable ("ftp://127.0.0.1/x"));
  g_assert_false (ucwa_url_is_acceptable ("not a url"));
  g_assert_false (ucwa_url_is_acceptable (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/discovery/derived-from-domain", test_derived_from_domain);
  g_test_add_func ("/discovery/configured-wins", test_configured_wins);
  g_test_add_func ("/discovery/acceptable-urls", test_acceptable_urls);
  return g_test_run ();
}
