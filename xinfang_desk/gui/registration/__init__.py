"""The registration page (接待登记) in parts, each the one owner of its widgets, their state, their messages and
its piece of the draft:

- `person_part.PersonPart`: the search strip, the person panel (ID number checked as typed, representatives)
  and the visitor's earlier visits;
- `matter_part.MatterPart`: channel, kind, summary, demands, respondent, date received, the warnings (repeat
  visit, collective visit) and the manual override;
- `facts_part.FactsPart`: the kind-specific questions (`FactsPanel`) and the live proposal (`ChannelsPanel`),
  and what Enter waits for;
- `draft_part.DraftPart`: the draft file: when it is written, and its restore, piece by piece.

`gui.registration_page.RegistrationPage` composes them from the one Designer form, wires their signals and
does save, print and clear. The parts never reach into each other: what one needs of another (the person's
ids, the group size, the proposal) the page hands over.
"""
