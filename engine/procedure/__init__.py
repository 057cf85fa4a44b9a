"""Between evaluations: a zone's path through the SAMR measures' procedure, the cheapest way to
pass, and progress on a locality's plan targets.

- `periods`: periods as the Civil Code counts them (arts. 201-203), the holiday shift optional;
- `chart`: the procedure file (rules/procedure/*.yaml), every state and transition citing its
  article through the knowledge base's anchors, run on durable-rules' statecharts
  (demozone.scoring.rete_chart);
- `records`: zones and their events as attributed provenance in the store;
- `status`: where a zone stands on a date, the dates that matter and what is overdue;
- `options`, `costs`, `planner`, `plangroups`: the cheapest set of changes that makes a
  submission pass, solved exactly (HiGHS), grouped by responsible unit under a local variant;
- `targets`: a locality's plan targets against a submission's figures.

Sits above assessment and report (it scores through demozone.assessment) and below api.
"""
