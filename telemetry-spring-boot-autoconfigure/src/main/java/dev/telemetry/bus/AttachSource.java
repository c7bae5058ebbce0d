package dev.telemetry.bus;

import java.util.Optional;

/**
 * Where in the application's code a handler was attached, for the endpoint: the first stack frame
 * outside the bus. Computed once per attach, which is rare, never on dispatch.
 *
 * @author telemetry-spring-boot
 */
final class AttachSource {

	private static final StackWalker WALKER = StackWalker.getInstance();

	private static final String BUS_PACKAGE = AttachSource.class.getPackageName() + ".";

	private AttachSource() {
	}

	static String caller() {
		Optional<StackWalker.StackFrame> frame = WALKER
			.walk((frames) -> frames.filter((f) -> !f.getClassName().startsWith(BUS_PACKAGE)).findFirst());
		return frame.map((f) -> "code " + f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
				+ f.getLineNumber() + ")").orElse("code");
	}

}
