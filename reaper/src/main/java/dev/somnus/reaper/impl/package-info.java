/**
 * The reaper: the {@code ChildProcesses} service, its loop, and the {@code somnus:children} shell
 * command. Private to the bundle.
 */
package dev.somnus.reaper.impl;
