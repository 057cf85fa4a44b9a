"""Between evaluations: a zone's path through the SAMR measures' procedure, the cheapest way to
pass, and progress on a locality's plan targets.

- `periods`: periods as the Civil Code counts them (arts. 201-203), the holiday shift optional;
- `chart`: the procedure file (rules/procedure/*.yaml), every state and transition citing its
  article through the knowledge base's anchors, run on durable-rules' statecharts
  (demozone.scoring.rete_chart);
- `records`: zones and their events as attributed provenance in the store;
- `zone`: an event allowed or refused with its article, and where a zone stands on a date (the
  dates that matter, what is overdue);
- `costs`, `apply`, `planner`, `plangroups`: the cheapest set of changes that makes a submission
  pass (the changes each rule kind proposes: `plan_options` in demozone.rules.kinds), solved
  exactly (exhaustive per component, HiGHS across), applied to the submission or its file, and
  shown by indicator or, under a local variant, by responsible unit with the locality's tasks;
- `targets`: a locality's plan targets against a submission's figures.

Sits above assessment and report (it scores through demozone.assessment) and below api.
"""
