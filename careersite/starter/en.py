"""The starter plan in English."""

from __future__ import annotations

from careersite.starter import Words

WORDS = Words(
    language="en",
    site_title="Career plan",
    site_title_author="{author} — career plan",
    config_header="# careersite settings. Build the public site with `careersite build`;\n"
                  "# `careersite status` shows the plan in the terminal.",
    config_base_url="# the published site's address, for feeds and sitemaps",
    config_review="# how often you check in: the nudge on the dashboard",
    vision_title="Vision",
    vision_prompt=(
        "Where do you want to be in 3–5 years? Describe the future you are working toward: "
        "the role, the kind of work, the people around you. Write it in the present tense, "
        "as if you were already there."
    ),
    vision_guide=(
        "<!--\n"
        "Think the vision through in two kinds of values, and write your answers in the\n"
        "frontmatter above (hard_values and soft_values):\n"
        "- hard values: salary development, generalist or specialist, products or services;\n"
        "- soft values: what are you good at, in which situations do you thrive, when do\n"
        "  you perform best?\n"
        "Then break it down: long-term goals (3–5 years) in plans/goals/, short-term goals\n"
        "(6–12 months) that lead to them, and regular reviews in plans/reviews/.\n"
        "Come back to this page once a year.\n"
        "-->"
    ),
    hard_values=(
        ("Salary development",
         "How do you want your salary to develop over the next 3–5 years?"),
        ("Generalist or specialist",
         "Do you want to be a generalist or a specialist, and in what?"),
        ("Products or services",
         "Do you want to work with products or with services?"),
    ),
    soft_values=(
        ("What I am good at", "What are you good at? What do others come to you for?"),
        ("When I thrive", "In which situations do you thrive at work?"),
        ("When I perform best", "When do you perform at your best?"),
    ),
    salary_key="salary_target",
    comment_private="# shown only in a private build (careersite build --private)",
    long_id="long-term-goal",
    long_title="Where I want to be in 3–5 years",
    long_body=(
        "What this goal is, and why it matters: how it brings you closer to your "
        "{vision_link}.\n\n"
        "A long-term goal is reached through short-term goals (6–12 months) that lead to "
        "it: they list this goal as their `parent`."
    ),
    long_milestones=(("Told my manager or a mentor about this goal", 3),
                     ("Halfway there: the first short-term goal is reached", 24)),
    long_develop=("the skill this goal needs most",),
    long_actions=("Write down what someone in this role does that I do not do yet",
                  "Talk to two people who have reached this goal",
                  "Tell my manager or a mentor about the goal"),
    short_id="short-term-goal",
    short_title="What I will reach in the next 6–12 months",
    short_body=(
        "What you will reach in the coming 6–12 months, and how you will know that you "
        "got there. It leads to your long-term goal (its `parent`)."
    ),
    short_milestones=(("First milestone reached", 3),
                      ("Second milestone reached", 9)),
    short_develop=("the skill this goal needs most",),
    short_actions=("Block an hour a week for this goal",
                   "Ask for feedback from someone who has done it",
                   "Pick one thing to change in my daily work"),
    action_plan="Action plan",
    action_plan_intro=("Big and small changes in your daily work. Tick them off as you "
                       "go: `- [x]`."),
    new_goal_body="What this goal is, and why it matters.",
    new_goal_action="The first thing I will do",
    comment_horizon="# short = 6–12 months, long = 3–5 years",
    comment_target="# a day, a month (2027-06), a quarter (2027-Q2) or a year (2027)",
    comment_status="# planned, active, achieved, dropped, paused",
    comment_parent="# the long-term goal this one leads to (its id)",
    comment_milestones="# sub-goals: - {title: \"…\", due: 2027-06, done: false}",
    comment_develop="# development areas: what you need to develop to get there",
    first_review_title="The plan is written",
    first_review_note_long="Vision and goals written down.",
    first_review_note_short="The first step toward the long-term goal.",
    first_review_went_well="I wrote down my vision and my goals.",
    first_review_next="Next check-in around {date}: run `careersite new review`.",
    went_well="What went well",
    to_improve="What to improve",
    next_steps="Next steps",
    prompt_went_well="<!-- Which actions did you do? Which milestones did you reach? -->",
    prompt_to_improve="<!-- What did not happen, and why? Are you on the right track? -->",
    prompt_next_steps="<!-- What will you do before the next review? -->",
    due_heading="Milestones due since the last review",
    due_since="Since {link}:",
    due_first="Due so far:",
    due_none="None were due.",
    done_on="done {date}",
    not_done="not done",
    due_on="due {date}",
    comment_mood="# 1–5: how does it feel?",
    comment_goals="# every active goal: update its progress (0–100) and status, add a note",
    ask_intro=("A few questions to start your career plan. Press Enter to keep the "
               "suggestion in [brackets]."),
    ask_name="Your name",
    ask_vision="Your vision: where do you want to be in 3–5 years?",
    ask_hard="Hard values",
    ask_soft="Soft values",
    ask_keep="Enter: answer later",
    ask_long="A long-term goal (3–5 years)",
    ask_short="A short-term goal (6–12 months) that leads to it",
    ask_more="Another short-term goal (Enter: done)",
    ask_target="  Target date",
    ask_bad_date="  Not a date: write 2027-06-30, 2027-06, 2027-Q2 or 2027.",
)
