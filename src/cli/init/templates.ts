// The files `sprout init` writes: a commented starter config (project or user), an AGENTS.md skeleton
// and a GitHub Actions workflow that runs sprout on labelled issues. Plain text, kept here so that
// the command itself stays about where files go.

/** A project's .sprout/config.json: only settings a project file may set. */
export const PROJECT_CONFIG = `{
  // sprout settings for this repository (JSON with comments). Your editor completes and checks them
  // through the schema below; \`sprout schema config\` prints it again after an upgrade.
  "$schema": "./config.schema.json",

  // The model id, or an Ark endpoint id (ep-...).
  "model": "doubao-seed-code",

  // Stop after this many model requests.
  "maxTurns": 100,

  // Times a failing check (--verify, or the detected tests of an --issue run) goes back to the model.
  "verifyRetries": 2

  // The provider, base URL, sandbox and network are not settable here: a repository must not choose
  // where your API key goes or loosen its own sandbox. Put them in your user config instead
  // (\`sprout init --user\`), the environment or the command line.
}
`;

/** The user's ~/.config/sprout/config.json. */
export const USER_CONFIG = `{
  // Your own sprout settings (JSON with comments); a project's .sprout/config.json and the command
  // line override them. \`sprout schema config\` lists every setting.
  "$schema": "./config.schema.json",

  // Endpoint preset: ark, ark-coding, wcode, joapi or openai. The key comes from the environment:
  // SPROUT_API_KEY, else the provider's variable (ARK_API_KEY...), never from this file.
  "provider": "ark",

  "model": "doubao-seed-code",

  // Where tools run: bwrap (confined, no network) or none (directly on this machine).
  "sandbox": "bwrap"
}
`;

export const AGENTS_MD = `# Notes for coding agents

sprout (and other agents) read this file before working here. Keep it short and true.

## Build and test
- Install: \`npm ci\`
- Test: \`npm test\`

## Conventions
- Describe the code style, naming and folders an agent should follow.

## Do not
- List files or folders an agent must not change (generated code, vendored libraries).
`;

/** A workflow that runs sprout on an issue labelled \`sprout\` and opens a pull request. */
export const WORKFLOW = `# sprout on issues: label an issue \`sprout\` and sprout works on it, commits its fix on a branch and
# opens a pull request. Needs a repository secret ARK_API_KEY. Written by \`sprout init\`.
name: sprout

on:
  issues:
    types: [labeled]

permissions:
  contents: write
  pull-requests: write
  issues: write

jobs:
  sprout:
    if: github.event.label.name == 'sprout'
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5 # v4.3.1
      - uses: sprout-agent/sprout@v1
        with:
          api-key: \${{ secrets.ARK_API_KEY }}
          branch: sprout/issue-\${{ github.event.issue.number }}
          create-pr: true
          max-cost: 5
`;
