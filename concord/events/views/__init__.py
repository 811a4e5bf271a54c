"""Pages for events: thin views that parse input, call a service or query, render. One module
per audience: `public`, `registration` (the participant's own), `manage` and `organisers`;
`shared` holds what they share. Everything works without JavaScript."""
