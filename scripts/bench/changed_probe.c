/*
 * Times each libgit2 call that mlrun's `--changed` makes (Sources/MLRunGit/
 * GitRepository+ChangedPaths.swift), in the same order and with the same options, so
 * the cost of `mlrun --changed` can be split by call. A benchmark aid for
 * scripts/bench/changed.py --profile; not part of mlrun.
 *
 *   cc -O2 -o .build-bench-work/changed-probe scripts/bench/changed_probe.c -lgit2
 *   (cd .build-bench-work/changed-20000 && ../changed-probe [split|nountracked|norenames])
 *
 * Modes: default = mlrun's calls; `split` replaces git_diff_tree_to_workdir_with_index
 * with its two halves (tree→index, index→workdir, then git_diff_merge) to time them
 * apart; `nountracked` drops GIT_DIFF_INCLUDE_UNTRACKED|RECURSE_UNTRACKED_DIRS;
 * `norenames` skips git_diff_find_similar; `noverify` turns off
 * GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION (libgit2 hashes every object it reads by default).
 * Prints one line per step: name, milliseconds.
 */
#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double last;
static void step(const char *name) {
	double t = now_ms();
	printf("%-48s %8.2f\n", name, t - last);
	last = now_ms();
}

static void check(int code, const char *what) {
	if (code < 0) {
		const git_error *e = git_error_last();
		fprintf(stderr, "%s: %s\n", what, e ? e->message : "?");
		_exit(1);
	}
}

int main(int argc, char **argv) {
	const char *mode = argc > 1 ? argv[1] : "";
	double start = now_ms();
	last = start;
	check(git_libgit2_init(), "init");
	step("git_libgit2_init");
	if (strcmp(mode, "noverify") == 0)
		check(git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0), "opts");

	git_repository *repo;
	check(git_repository_open_ext(&repo, ".", 0, NULL), "open");
	step("git_repository_open_ext");

	check(git_repository_head_unborn(repo), "unborn");
	git_object *head, *commit;
	check(git_revparse_single(&head, repo, "HEAD"), "revparse");
	check(git_object_peel(&commit, head, GIT_OBJECT_COMMIT), "peel");
	git_oid id = *git_object_id(commit);
	step("head_unborn + revparse_single(HEAD) + peel");

	git_commit *c;
	git_tree *tree;
	check(git_commit_lookup(&c, repo, &id), "commit");
	check(git_commit_tree(&tree, c), "tree");
	step("commit_lookup + commit_tree");

	git_diff_options options;
	git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
	options.flags = GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_SKIP_BINARY_CHECK;
	if (strcmp(mode, "nountracked") != 0)
		options.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	git_diff *diff;
	if (strcmp(mode, "split") == 0 || strcmp(mode, "noverify") == 0) {
		git_index *index;
		check(git_repository_index(&index, repo), "index");
		step("  repository_index (read .git/index)");
		git_diff *workdir;
		check(git_diff_tree_to_index(&diff, repo, tree, index, &options), "tree-to-index");
		step("  diff_tree_to_index");
		check(git_diff_index_to_workdir(&workdir, repo, index, &options), "index-to-workdir");
		step("  diff_index_to_workdir");
		check(git_diff_merge(diff, workdir), "merge");
		step("  diff_merge");
		git_diff_free(workdir);
		git_index_free(index);
	} else {
		check(git_diff_tree_to_workdir_with_index(&diff, repo, tree, &options), "diff");
		step("diff_tree_to_workdir_with_index");
	}

	if (strcmp(mode, "norenames") != 0) {
		git_diff_find_options similarity;
		git_diff_find_options_init(&similarity, GIT_DIFF_FIND_OPTIONS_VERSION);
		similarity.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
		check(git_diff_find_similar(diff, &similarity), "similar");
		step("diff_find_similar (RENAMES|FOR_UNTRACKED)");
	}

	/* The loop over deltas: staged edits are hashed to see whether the workdir restored them. */
	git_index *index = NULL;
	size_t n = git_diff_num_deltas(diff), hashed = 0;
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_MODIFIED) continue;
		if (!index) check(git_repository_index(&index, repo), "index");
		const git_index_entry *staged = git_index_get_bypath(index, d->new_file.path, 0);
		if (!staged || d->old_file.mode != d->new_file.mode) continue;
		if (git_oid_equal(&d->old_file.id, &staged->id)) continue;
		git_oid working;
		git_repository_hashfile(&working, repo, d->new_file.path, GIT_OBJECT_BLOB, NULL);
		hashed++;
	}
	char label[64];
	snprintf(label, sizeof label, "deltas loop (%zu deltas, %zu hashed)", n, hashed);
	step(label);
	git_index_free(index);
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(c);
	git_object_free(commit);
	git_object_free(head);
	git_repository_free(repo);
	step("free (diff, index, repository)");
	printf("%-48s %8.2f\n", "total (from main)", now_ms() - start);
	return 0;
}
