"""The starter plan in Swedish (the method's own words: FORMAT.md)."""

from __future__ import annotations

from careersite.starter import Words

WORDS = Words(
    language="sv",
    site_title="Karriärplan",
    site_title_author="{author} — karriärplan",
    config_header="# Inställningar för careersite. Bygg den publika webbplatsen med\n"
                  "# `careersite build`; `careersite status` visar planen i terminalen.",
    config_base_url="# den publicerade webbplatsens adress, för flöden och webbplatskartor",
    config_review="# hur ofta du stämmer av planen: påminnelsen på översikten",
    vision_title="Vision",
    vision_prompt=(
        "Var vill du vara om 3–5 år? Beskriv framtiden du arbetar mot: rollen, vilket slags "
        "arbete, människorna omkring dig. Skriv i presens, som om du redan var där."
    ),
    vision_guide=(
        "<!--\n"
        "Tänk igenom visionen i två slags värden och skriv svaren i frontmatter ovanför\n"
        "(hard_values och soft_values):\n"
        "- hårda värden: löneutveckling, generalist eller specialist, produkter eller tjänster;\n"
        "- mjuka värden: vad är du bra på, i vilka situationer trivs du, när presterar du\n"
        "  som bäst?\n"
        "Bryt sedan ner den: långsiktiga mål (3–5 år) i plans/goals/, kortsiktiga mål\n"
        "(6–12 månader) som leder dit, och regelbundna avstämningar i plans/reviews/.\n"
        "Var systematisk och nå dit du vill. Återvänd till sidan en gång om året.\n"
        "-->"
    ),
    hard_values=(
        ("Löneutveckling", "Hur vill du att din lön ska utvecklas de kommande 3–5 åren?"),
        ("Generalist eller specialist",
         "Vill du vara generalist eller specialist, och i så fall inom vad?"),
        ("Produkter eller tjänster", "Vill du arbeta med produkter eller med tjänster?"),
    ),
    soft_values=(
        ("Vad jag är bra på", "Vad är du bra på? Vad kommer andra till dig för?"),
        ("När jag trivs", "I vilka situationer trivs du på jobbet?"),
        ("När jag presterar som bäst", "När presterar du som bäst?"),
    ),
    salary_key="lönemål",
    comment_private="# visas bara i en privat version (careersite build --private)",
    long_id="langsiktigt-mal",
    long_title="Där jag vill vara om 3–5 år",
    long_body=(
        "Vad målet är och varför det är viktigt: hur det för dig närmare din "
        "{vision_link}.\n\n"
        "Ett långsiktigt mål nås genom kortsiktiga mål (6–12 månader) som leder dit: de "
        "anger det här målet som `parent`."
    ),
    long_milestones=(("Berättat om målet för min chef eller en mentor", 3),
                     ("Halvvägs: det första kortsiktiga målet är nått", 24)),
    long_develop=("den förmåga målet kräver mest",),
    long_actions=("Skriv ner vad någon i den rollen gör som jag inte gör än",
                  "Prata med två personer som har nått målet",
                  "Berätta om målet för min chef eller en mentor"),
    short_id="kortsiktigt-mal",
    short_title="Det jag ska nå de kommande 6–12 månaderna",
    short_body=(
        "Vad du ska nå de kommande 6–12 månaderna, och hur du vet att du är där. Det leder "
        "till ditt långsiktiga mål (dess `parent`)."
    ),
    short_milestones=(("Första delmålet nått", 3),
                      ("Andra delmålet nått", 9)),
    short_develop=("den förmåga målet kräver mest",),
    short_actions=("Avsätt en timme i veckan för målet",
                   "Be om återkoppling från någon som har gjort det",
                   "Välj en sak att ändra i mitt dagliga arbete"),
    action_plan="Handlingsplan",
    action_plan_intro=("Stora och små förändringar i ditt dagliga arbete. Bocka av dem "
                       "efter hand: `- [x]`."),
    new_goal_body="Vad målet är och varför det är viktigt.",
    new_goal_action="Det första jag ska göra",
    comment_horizon="# short = kortsiktigt (6–12 månader), long = långsiktigt (3–5 år)",
    comment_target="# en dag, en månad (2027-06), ett kvartal (2027-Q2) eller ett år (2027)",
    comment_status="# planned, active, achieved, dropped, paused (planerat … pausat)",
    comment_parent="# det långsiktiga mål som det här leder till (dess id)",
    comment_milestones="# delmål: - {title: \"…\", due: 2027-06, done: false}",
    comment_develop="# utvecklingsområden: vad du behöver utveckla för att nå dit",
    first_review_title="Planen är skriven",
    first_review_note_long="Vision och mål nedskrivna.",
    first_review_note_short="Första steget mot det långsiktiga målet.",
    first_review_went_well="Jag skrev ner min vision och mina mål.",
    first_review_next="Nästa avstämning runt {date}: kör `careersite new review`.",
    went_well="Vad gick bra",
    to_improve="Vad kan bli bättre",
    next_steps="Nästa steg",
    prompt_went_well="<!-- Vilka aktiviteter gjorde du? Vilka delmål nådde du? -->",
    prompt_to_improve="<!-- Vad blev inte av, och varför? Är du på rätt väg? -->",
    prompt_next_steps="<!-- Vad ska du göra före nästa avstämning? -->",
    due_heading="Delmål sedan förra avstämningen",
    due_since="Sedan {link}:",
    due_first="Hittills:",
    due_none="Inga delmål skulle vara klara.",
    done_on="klart {date}",
    not_done="inte klart",
    due_on="klart senast {date}",
    comment_mood="# 1–5: hur känns det?",
    comment_goals="# varje aktivt mål: uppdatera progress (0–100) och status, skriv en anteckning",
    ask_intro=("Några frågor för att starta din karriärplan. Tryck Enter för att behålla "
               "förslaget inom [hakparentes]."),
    ask_name="Ditt namn",
    ask_vision="Din vision: var vill du vara om 3–5 år?",
    ask_hard="Hårda värden",
    ask_soft="Mjuka värden",
    ask_keep="Enter: svara senare",
    ask_long="Ett långsiktigt mål (3–5 år)",
    ask_short="Ett kortsiktigt mål (6–12 månader) som leder dit",
    ask_more="Ett kortsiktigt mål till (Enter: klart)",
    ask_target="  Måldatum",
    ask_bad_date="  Inget datum: skriv 2027-06-30, 2027-06, 2027-Q2 eller 2027.",
)
