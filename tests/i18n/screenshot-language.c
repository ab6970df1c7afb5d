/* screenshot-language.c — the start page and a chat, in Spanish or Portuguese
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: tests/i18n/screenshots.sh runs it under Xvfb for
 * data/screenshots/{start,chat}-LANGUAGE.png. Like tests/ui/screenshot-scene.c,
 * but the people in the room talk in the language of the screenshot, so no
 * English is left on it.
 */

#include "config.h"

#include "i18n-test-utils.h"
#include "ui-test-utils.h"

typedef struct {
  int         who;    /* 0 is the host (typed in the window), 1–4 guests */
  const char *line;
} Line;

typedef struct {
  const char *language;
  const char *nicks[5];
  const char *room_name;
  const Line *script;
  guint       script_length;
} Scene;

static const Line script_es[] = {
  { 1, "¡hola a todos! ¿funciona el proyector?" },
  { 0, "sí, el cable está en la mesa de la izquierda" },
  { 2, "he traído algo para picar 🍕" },
  { 2, "y el alargador largo" },
  { 3, "/me saluda desde la última fila" },
  { 4, "¿cuál es el plan para esta noche?" },
  { 0, "primera ronda a las 20:00 y la final a las 22:00" },
  { 4, "¡gracias!" },
  { 1, "¿quién va en mi equipo?" },
  { 2, "tú, sofía y yo" },
  { 3, "¡vamos allá!" },
  { 4, "alguien se ha dejado una chaqueta azul junto a la puerta" },
  { 3, "es mía, ¡gracias!" },
  { 1, "/me va a por otro café" },
  { 0, "descanso en 10 minutos" },
  { 1, "bien jugado, gente" },
  { 3, "¿la revancha?" },
  { 4, "después de la pizza" },
  { 0, "el servidor ya está listo para la segunda ronda" },
  { 3, "la contraseña del wifi es Supercalifragilisticoespialidosoperoaunmaslargaqueeso" },
  { 1, "el cuadro está en la wiki: https://wiki.gnome.org/Events/LANParty" },
  { 4, "3 ms de ping, qué maravilla 🎉" },
  { 0, "/me pone el cronómetro en marcha" },
  { 2, "ana, ¿podemos pasar la final a las 22:30?" },
  { 0, "¡claro!" },
  { 0, "/topic Final a las 22:30 · Wifi: tertulia-invitados" },
  { 1, "nos vemos allí" },
  { 3, "👍" },
};

static const Line script_pt_BR[] = {
  { 1, "oi, gente! o projetor está funcionando?" },
  { 0, "sim, o cabo está na mesa da esquerda" },
  { 2, "trouxe uns salgadinhos 🍕" },
  { 2, "e a extensão comprida" },
  { 3, "/me acena lá do fundo" },
  { 4, "qual é o plano pra hoje à noite?" },
  { 0, "primeira rodada às 20h e a final às 22h" },
  { 4, "valeu!" },
  { 1, "quem está no meu time?" },
  { 2, "você, a rafa e eu" },
  { 3, "bora!" },
  { 4, "alguém esqueceu uma jaqueta azul perto da porta" },
  { 3, "é minha, valeu!" },
  { 1, "/me vai pegar mais um café" },
  { 0, "intervalo em 10 minutos" },
  { 1, "boa partida, pessoal" },
  { 3, "revanche?" },
  { 4, "depois da pizza" },
  { 0, "o servidor já está pronto para a segunda rodada" },
  { 3, "a senha do wi-fi é Supercalifragilisticexpialidocioussóquemuitomaiscomprida" },
  { 1, "a chave está na wiki: https://wiki.gnome.org/Events/LANParty" },
  { 4, "3 ms de ping, que beleza 🎉" },
  { 0, "/me liga o cronômetro" },
  { 2, "ana, dá pra passar a final para as 22h30?" },
  { 0, "claro!" },
  { 0, "/topic Final às 22h30 · Wi-Fi: tertulia-convidados" },
  { 1, "até lá" },
  { 3, "👍" },
};

static const Line script_pt[] = {
  { 1, "olá a todos! o projetor está a funcionar?" },
  { 0, "sim, o cabo está na mesa da esquerda" },
  { 2, "trouxe umas coisas para petiscar 🍕" },
  { 2, "e a extensão comprida" },
  { 3, "/me acena lá da última fila" },
  { 4, "qual é o plano para hoje à noite?" },
  { 0, "primeira ronda às 20h00 e a final às 22h00" },
  { 4, "obrigado!" },
  { 1, "quem está na minha equipa?" },
  { 2, "tu, a rita e eu" },
  { 3, "vamos a isso!" },
  { 4, "alguém deixou um casaco azul ao pé da porta" },
  { 3, "é meu, obrigado!" },
  { 1, "/me vai buscar mais um café" },
  { 0, "intervalo daqui a 10 minutos" },
  { 1, "bom jogo, pessoal" },
  { 3, "desforra?" },
  { 4, "depois da pizza" },
  { 0, "o servidor já está pronto para a segunda ronda" },
  { 3, "a palavra-passe do wi-fi é Supercalifragilisticexpialidocioussóquemuitomaiscomprida" },
  { 1, "o quadro está na wiki: https://wiki.gnome.org/Events/LANParty" },
  { 4, "3 ms de ping, que maravilha 🎉" },
  { 0, "/me liga o cronómetro" },
  { 2, "ana, podemos passar a final para as 22h30?" },
  { 0, "claro!" },
  { 0, "/topic Final às 22h30 · Wi-Fi: tertulia-convidados" },
  { 1, "até já" },
  { 3, "👍" },
};

static const Scene scenes[] = {
  { "es", { "ana", "luis", "marta", "sofía", "Pedro" }, "Torneo de la LAN",
    script_es, G_N_ELEMENTS (script_es) },
  { "pt_BR", { "ana", "lucas", "bia", "rafa", "Pedro" }, "Campeonato da LAN",
    script_pt_BR, G_N_ELEMENTS (script_pt_BR) },
  { "pt", { "ana", "joão", "inês", "rita", "Pedro" }, "Torneio da LAN",
    script_pt, G_N_ELEMENTS (script_pt) },
};

static int      width = 1000;
static int      height = 700;
static gboolean start_page;
static char    *mo;
static char    *output;

static const GOptionEntry entries[] = {
  { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "PX" },
  { "start", 0, 0, G_OPTION_ARG_NONE, &start_page, "Show the start page", NULL },
  { "mo", 0, 0, G_OPTION_ARG_FILENAME, &mo, "The compiled catalog of $LANGUAGE", "FILE" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "PNG to write", "FILE" },
  { NULL }
};

static void
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, output))
    g_error ("Could not write %s", output);
}

static void
show_chat (TertuliaWindow *window,
           const Scene    *scene)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);
  TertuliaClient *guests[5] = { NULL, };
  TertuliaChatPage *page;
  GListModel *messages;
  g_autofree char *address = NULL;

  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start),
                             tertulia_find_free_port (7878, 7999));
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (window), "chat") == 0);

  page = _tertulia_window_get_chat_page (window);
  messages = tertulia_room_get_messages (tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (window))));
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_session_get_port (tertulia_window_get_session (window)));

  for (guint i = 1; i < G_N_ELEMENTS (scene->nicks); i++)
    guests[i] = ui_test_join (address, scene->nicks[i]);

  for (guint i = 0; i < scene->script_length; i++)
    {
      const Line *line = &scene->script[i];
      guint n_before = g_list_model_get_n_items (messages);

      if (line->who == 0)
        {
          GtkEntry *entry = _tertulia_chat_page_get_entry (page);

          gtk_editable_set_text (GTK_EDITABLE (entry), line->line);
          g_signal_emit_by_name (entry, "activate");
        }
      else if (g_str_has_prefix (line->line, "/me "))
        tertulia_client_send_message (guests[line->who], TERTULIA_MESSAGE_KIND_ACTION, line->line + 4, NULL);
      else
        tertulia_client_send_message (guests[line->who], TERTULIA_MESSAGE_KIND_CHAT, line->line, NULL);

      /* One at a time, so the log reads in order. */
      WAIT_UNTIL (g_list_model_get_n_items (messages) > n_before);
      tertulia_test_spin (30);
    }

  /* Someone steps out and comes back: two notices at the end. */
  ui_test_leave (g_steal_pointer (&guests[4]));
  tertulia_test_spin (300);
  guests[4] = ui_test_join (address, scene->nicks[4]);

  tertulia_test_spin (1500);
  render (GTK_WIDGET (window));

  for (guint i = 1; i < G_N_ELEMENTS (guests); i++)
    g_clear_pointer (&guests[i], ui_test_leave);
  tertulia_window_leave (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TertuliaApplication) app = NULL;
  g_autoptr(GSettings) desktop = NULL;
  g_autoptr(GError) error = NULL;
  const char *language = g_getenv ("LANGUAGE");
  const Scene *scene = NULL;
  TertuliaStartPage *start;
  TertuliaWindow *window;
  char *locale_dir;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || output == NULL)
    g_error ("%s", error != NULL ? error->message : "--output is required");

  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    if (g_strcmp0 (scenes[i].language, language) == 0)
      scene = &scenes[i];
  if (scene == NULL)
    g_error ("Set LANGUAGE to es, pt_BR or pt");

  locale_dir = i18n_test_bind_catalog (language, mo);

  /* GNOME's default title bar buttons, not Xvfb's. */
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  desktop = g_settings_new ("org.gnome.desktop.interface");
  g_settings_set_string (desktop, "color-scheme", "default");

  app = ui_test_application_new ();
  window = tertulia_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  start = _tertulia_window_get_start_page (window);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), scene->nicks[0]);
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), scene->room_name);

  if (start_page)
    {
      const char *rooms[] = { "192.168.1.20:7878", "ws://aula.local:7878/ws", NULL };
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      g_settings_set_strv (settings, "recent-rooms", rooms);
      gtk_editable_set_text (_tertulia_start_page_get_address_row (start), "192.168.1.20");
      tertulia_start_page_reset (start);
      tertulia_test_spin (800);
      render (GTK_WIDGET (window));
    }
  else
    {
      show_chat (window, scene);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  i18n_test_unbind_catalog (locale_dir, language);

  return 0;
}
