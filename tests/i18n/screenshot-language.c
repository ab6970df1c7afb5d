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
#include "screenshot-utils.h"

typedef struct {
  const char           *language;
  const char           *nicks[SCREENSHOT_N_PEOPLE];
  const char           *room_name;
  const ScreenshotLine *script;
  guint                 script_length;
} Scene;

static const ScreenshotLine script_es[] = {
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

static const ScreenshotLine script_pt_BR[] = {
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

static const ScreenshotLine script_pt[] = {
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
show_chat (TertuliaWindow *window,
           const Scene    *scene)
{
  TertuliaClient *guests[SCREENSHOT_N_PEOPLE] = { NULL, };

  screenshot_play (window, scene->nicks, scene->script, scene->script_length, guests);
  tertulia_test_spin (1500);
  screenshot_render (GTK_WIDGET (window), output);
  screenshot_leave (window, guests);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TertuliaApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  const char *language = g_getenv ("LANGUAGE");
  const Scene *scene = NULL;
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

  screenshot_init (FALSE);
  app = ui_test_application_new ();
  window = screenshot_window_new (app, width, height, scene->nicks[0], scene->room_name);

  if (start_page)
    {
      const char *rooms[] = { "192.168.1.20:7878", "ws://aula.local:7878/ws", NULL };

      screenshot_show_recent_rooms (_tertulia_window_get_start_page (window), rooms, "192.168.1.20");
      tertulia_test_spin (800);
      screenshot_render (GTK_WIDGET (window), output);
    }
  else
    {
      show_chat (window, scene);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  i18n_test_unbind_catalog (locale_dir, language);

  return 0;
}
