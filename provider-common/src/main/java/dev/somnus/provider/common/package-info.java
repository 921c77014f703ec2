/**
 * What every provider bundle and every command bundle with providers shares, written once and
 * copied privately into each of them by bnd ({@code -conditionalpackage}), so there is nothing to
 * wire and nothing exported.
 *
 * <p>Provider side: a provider bundle writes a {@link dev.somnus.provider.common.ProviderMethod}
 * per mode (probe, action, perform) and a DS component whose activate calls
 * {@link dev.somnus.provider.common.ProviderRegistrations#register}; this package does the rest:
 * one {@code dev.somnus.api.provider.Provider} service per mode, probing at activation, when an
 * input changes, on an interval and on demand, properties and ranking republished when the answer
 * changes, helper programs run through the reaper with a timeout
 * ({@link dev.somnus.provider.common.HelperRunner}) and ended with the component
 * ({@link dev.somnus.provider.common.ProviderChildren}).
 *
 * <p>Consumer side: a command component binds the providers of its family and mode (a dynamic,
 * multiple reference with a target filter) into {@link dev.somnus.provider.common.RankedProviders}
 * and runs each request through {@link dev.somnus.provider.common.ProviderDispatch}: the available
 * providers from the highest ranking down, falling through on failure, an error naming every
 * provider tried.
 */
package dev.somnus.provider.common;
