/**
 * What every suspend provider bundle shares, written once and copied privately into each of them by
 * bnd ({@code -conditionalpackage}), so there is nothing to wire and nothing exported. A provider
 * bundle writes a {@link dev.somnus.suspend.common.SuspendMethod} per mode (probe, action, perform)
 * and a DS component whose activate calls
 * {@link dev.somnus.suspend.common.ProviderRegistrations#register}; this package does the rest:
 * one SuspendProvider service per mode, probing at activation, on an interval and on demand,
 * properties and ranking republished when the answer changes, helper programs run through the
 * reaper with a timeout ({@link dev.somnus.suspend.common.HelperRunner}).
 */
package dev.somnus.suspend.common;
