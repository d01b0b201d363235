// One thing a Dockerfile cannot say, as data: `at` is the spec field ("layers[1].files[2].mode",
// "env.HOME"), `message` what a Dockerfile would need and why it cannot give it.
export interface DockerfileIssue {
  readonly at: string;
  readonly message: string;
}

export const dockerfileIssue = (at: string, message: string): DockerfileIssue => ({ at, message });

export const formatDockerfileIssue = (issue: DockerfileIssue): string => `${issue.at}: ${issue.message}`;
